import { describe, expect, it } from '@jest/globals';
import type { ChannelContext } from './channel-access.js';
import { PostGrants } from './post-grants.js';

const context = (id: string): ChannelContext =>
  ({
    channel: { id },
    scope: { member: true, matterFlagged: false, archived: false, createdById: null, agencyMember: false },
    readsOriginals: false,
  }) as ChannelContext;

describe('post grants of one socket', () => {
  it('answer the policy decision while the socket is in the channel room', () => {
    const rooms = new Set(['a']);
    const grants = new PostGrants((id) => rooms.has(id));
    grants.set(context('a'));
    expect(grants.get('a')?.channel.id).toBe('a');
    expect(grants.get('b')).toBeUndefined();
  });

  it('are not kept for a channel whose room the socket is not in', () => {
    const grants = new PostGrants(() => false);
    grants.set(context('a'));
    expect(grants.get('a')).toBeUndefined();
    expect(grants.size).toBe(0);
  });

  it('end once the socket is seen outside the room (a removal), and stay ended when it joins again to read', () => {
    const rooms = new Set(['a']);
    const grants = new PostGrants((id) => rooms.has(id));
    grants.set(context('a'));
    rooms.delete('a');
    expect(grants.get('a')).toBeUndefined();
    // An oversight reader syncing the channel again is back in its room, not a member again.
    rooms.add('a');
    expect(grants.get('a')).toBeUndefined();
  });

  it('end at once when dropped (the leave-room event, or a refused send)', () => {
    const grants = new PostGrants(() => true);
    grants.set(context('a'));
    grants.drop('a');
    expect(grants.get('a')).toBeUndefined();
  });
});
