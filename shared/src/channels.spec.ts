import { describe, expect, it } from '@jest/globals';
import { ROLES, Role } from './agencies.js';
import {
  advanceReadPosition,
  channelAccess,
  CHANNEL_KINDS,
  CREATE_ROLES,
  CreateChannelRequest,
  directKey,
  EditMessagePayload,
  MarkReadPayload,
  membershipEditable,
  mentions,
  MESSAGE_MAX_CHARS,
  presenceOf,
  rateDecision,
  referralSystemText,
  disputeSystemText,
  postsToMatterChannel,
  workflowClockSystemText,
  workflowSystemText,
  SendMessagePayload,
  SyncPayload,
  visibleBody,
  type PresenceState,
} from './channels.js';
import { fieldErrors } from './validation.js';

const U1 = '0b0c5b8e-1f0a-4c1e-9a57-3f3b1d2c4e01';
const U2 = '0b0c5b8e-1f0a-4c1e-9a57-3f3b1d2c4e02';
const CH = '0b0c5b8e-1f0a-4c1e-9a57-3f3b1d2c4e03';

describe('channel access', () => {
  it.each([
    // member, oversight, archived → read, post
    [true, false, false, true, true],
    [true, false, true, true, false],
    [false, true, false, true, false],
    [false, true, true, true, false],
    [true, true, false, true, true],
    [false, false, false, false, false],
    [false, false, true, false, false],
  ])('member %s, oversight %s, archived %s → read %s, post %s', (member, oversight, archived, read, post) => {
    expect(channelAccess({ member, oversight, archived })).toEqual({ read, post });
  });

  it.each(CHANNEL_KINDS.map((k) => [k, k === 'liaison' || k === 'joint_meeting'] as const))(
    'members of a %s channel are editable by hand: %s',
    (kind, editable) => expect(membershipEditable(kind)).toBe(editable),
  );

  it('lets nobody open a matter channel by hand, and anyone a direct message', () => {
    expect(CREATE_ROLES.matter).toEqual([]);
    expect([...CREATE_ROLES.direct].sort()).toEqual([...ROLES].sort());
    expect(CREATE_ROLES.liaison).not.toContain(Role.Auditor);
  });

  it('gives a pair of users one direct channel key, whoever opens it', () => {
    expect(directKey(U1, U2)).toBe(directKey(U2, U1));
    expect(directKey(U1, U2)).toBe(`${U1}:${U2}`);
  });
});

describe('read positions', () => {
  it.each([
    // current, requested, lastSeq → next (null = no change)
    [0, 5, 10, 5],
    [5, 5, 10, null],
    [5, 3, 10, null],
    [5, 20, 10, 10],
    [10, 20, 10, null],
    [0, 0, 0, null],
  ])('at %i, asking %i with last seq %i → %s', (current, requested, last, next) => {
    expect(advanceReadPosition(current, requested, last)).toBe(next);
  });
});

describe('the send limit', () => {
  const W = 10_000;
  it.each([
    // recent sends (ms), now, limit → allowed, retry after
    [[], 1_000, 3, true, 0],
    [[100, 200], 1_000, 3, true, 0],
    [[100, 200, 300], 1_000, 3, false, 100 + W - 1_000],
    [[100, 200, 300], 100 + W, 3, true, 0],
    [[100, 200, 300], 100 + W - 1, 3, false, 1],
  ])('%j at %i with limit %i → allowed %s, retry in %i ms', (recent, now, limit, allowed, retry) => {
    const d = rateDecision(recent, now, limit, W);
    expect({ allowed: d.allowed, retryAfterMs: d.retryAfterMs }).toEqual({ allowed, retryAfterMs: retry });
    expect(d.kept.length).toBeLessThanOrEqual(limit);
  });
});

describe('what a reader sees', () => {
  it.each([
    // retracted, reads originals → body, original
    [false, false, '原文', null],
    [false, true, '原文', null],
    [true, false, null, null],
    [true, true, null, '原文'],
  ])('retracted %s, reads originals %s', (retracted, readsOriginals, body, original) => {
    expect(visibleBody({ body: '原文', retracted }, readsOriginals)).toEqual({ body, original });
  });

  it.each([
    [[U1], [], true],
    [[], ['agency-a'], true],
    [[U2], ['agency-b'], false],
    [[], [], false],
  ])('mentions %j / agencies %j → mentions the reader: %s', (userIds, agencyIds, hit) => {
    expect(
      mentions({ mentionUserIds: userIds, mentionAgencyIds: agencyIds }, { userId: U1, agencyId: 'agency-a' }),
    ).toBe(hit);
  });

  it.each([
    [['online', 'away'], 'online'],
    [['away', 'away'], 'away'],
    [[], 'offline'],
    [['offline'], 'offline'],
  ] as [PresenceState[], PresenceState][])('sockets %j → %s', (states, presence) => {
    expect(presenceOf(states)).toBe(presence);
  });

  it('words a referral change in Chinese', () => {
    expect(
      referralSystemText({ matterNumber: '协-2026-000001', action: 'sign', fromState: 'delivered', state: 'signed' }),
    ).toMatch(/^移送 协-2026-000001：签收（.+ → .+）$/);
    expect(disputeSystemText({ matterNumber: '协-2026-000002', pattern: 'both_refuse' })).toContain('争着推');
    expect(disputeSystemText({ matterNumber: '协-2026-000002', pattern: 'both_claim' })).toContain('争着管');
  });
});

describe('workflow system messages', () => {
  it.each([
    ['dispute', 'accept', true],
    ['dispute', 'opened', false], // posted from dispute.opened
    ['enforcement', 'apply', true],
    ['interview', 'proposed', true],
    ['interview', undefined, true], // a clock step
    ['review', 'opened', false],
    ['review', 'suggest', false],
    ['review', undefined, false],
  ] as const)('%s %s posts on the matter channel: %s', (workflow, action, posts) => {
    expect(postsToMatterChannel({ workflow, action })).toBe(posts);
  });

  it('words a change and a clock step in Chinese', () => {
    expect(workflowSystemText({ workflow: 'interview', matterNumber: '协-2026-000003', summaryZh: '约谈已安排' })).toBe(
      '共同约谈 协-2026-000003：约谈已安排',
    );
    expect(
      workflowClockSystemText({
        workflow: 'enforcement',
        matterNumber: '协-2026-000004',
        code: 'court_accept',
        step: 'overdue',
      }),
    ).toBe('申请强制执行 协-2026-000004：期限“法院受理强制执行申请”已逾期');
  });
});

describe('payloads', () => {
  const fields = (schema: { safeParse(v: unknown): { success: boolean; error?: unknown } }, v: unknown) => {
    const r = schema.safeParse(v);
    return r.success ? [] : fieldErrors(r.error as Parameters<typeof fieldErrors>[0]).map((e) => e.field);
  };

  it.each([
    ['a valid message', { channelId: CH, clientId: U1, text: '你好' }, []],
    ['no client id', { channelId: CH, text: '你好' }, ['clientId']],
    ['blank text', { channelId: CH, clientId: U1, text: '   ' }, ['text']],
    ['text over the limit', { channelId: CH, clientId: U1, text: '字'.repeat(MESSAGE_MAX_CHARS + 1) }, ['text']],
    ['text at the limit', { channelId: CH, clientId: U1, text: '字'.repeat(MESSAGE_MAX_CHARS) }, []],
    ['bad mention', { channelId: CH, clientId: U1, text: 'x', mentions: { userIds: ['x'] } }, ['mentions.userIds.0']],
    ['not an object', 'hello', ['(body)']],
  ])('send: %s', (_, payload, expected) => {
    expect(fields(SendMessagePayload, payload)).toEqual(expected);
  });

  it('fills defaults for a send', () => {
    expect(SendMessagePayload.parse({ channelId: CH, clientId: U1, text: '你好' })).toMatchObject({
      mentions: { userIds: [], agencyIds: [] },
      attachmentIds: [],
      requiresAck: false,
    });
  });

  it.each([
    [EditMessagePayload, { messageId: U1, text: '改' }, []],
    [EditMessagePayload, { messageId: 'nope', text: '' }, ['messageId', 'text']],
    [MarkReadPayload, { channelId: CH, seq: 1.5 }, ['seq']],
    [SyncPayload, { cursors: [{ channelId: CH, after: -1 }] }, ['cursors.0.after']],
    [CreateChannelRequest, { kind: 'liaison', title: '联络群', agencyIds: [U1] }, ['agencyIds']],
    [CreateChannelRequest, { kind: 'matter' }, ['kind']],
  ])('%# names the bad fields', (schema, payload, expected) => {
    expect(fields(schema, payload)).toEqual(expected);
  });
});
