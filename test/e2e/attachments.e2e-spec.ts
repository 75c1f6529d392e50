import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AttachmentView, MatterView, TimelineEntryView } from '@xietong/shared';
import { bootApp, type TestApp } from '../support/app.js';
import { delegatedItemCode } from '../support/fixtures.js';

let app: TestApp;
let officer: string;
let matter: MatterView;

// A real (tiny) PNG and PDF, so the type is sniffed from the bytes, not taken from the name.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082',
  'hex',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

beforeAll(async () => {
  app = await bootApp({ env: { ATTACHMENT_MAX_BYTES: '65536' } });
  officer = (await app.http.login('zfj.officer')).accessToken;
  matter = (
    await app.http.post<MatterView>(
      '/api/matters',
      {
        itemCode: await delegatedItemCode(app.http, officer),
        township: 'XZ-LZ',
        place: '龙洲街道西门街',
        party: { kind: 'person', name: '王五' },
        procedure: 'general',
        summary: '现场照片和询问笔录附后。',
      },
      officer,
    )
  ).body;
});
afterAll(async () => {
  await app?.close();
});

describe('attachments', () => {
  it('keeps evidence with its sniffed type and SHA-256, downloadable by the agencies on the matter', async () => {
    const up = await app.http.upload<AttachmentView>(
      `/api/matters/${matter.id}/attachments`,
      PNG,
      '现场照片.jpg',
      officer,
    );
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({
      fileName: '现场照片.jpg',
      contentType: 'image/png', // the bytes say PNG, whatever the name says
      size: PNG.length,
      sha256: createHash('sha256').update(PNG).digest('hex'),
    });
    const pdf = await app.http.upload<AttachmentView>(
      `/api/matters/${matter.id}/attachments`,
      PDF,
      '询问笔录.pdf',
      officer,
    );
    expect(pdf.body.contentType).toBe('application/pdf');
    const note = await app.http.upload<AttachmentView>(
      `/api/matters/${matter.id}/attachments`,
      Buffer.from('当事人陈述：已知晓。\n'),
      '陈述.txt',
      officer,
    );
    expect(note.body.contentType).toBe('text/plain');

    const list = await app.http.get<AttachmentView[]>(`/api/matters/${matter.id}/attachments`, officer);
    expect(list.body.map((a) => a.fileName)).toEqual(['现场照片.jpg', '询问笔录.pdf', '陈述.txt']);

    const file = await app.http.download(`/api/attachments/${up.body.id}`, officer);
    expect(file.status).toBe(200);
    expect(file.body.equals(PNG)).toBe(true);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('x-content-sha256')).toBe(up.body.sha256);

    const timeline = await app.http.get<TimelineEntryView[]>(`/api/matters/${matter.id}/timeline`, officer);
    expect(timeline.body.filter((e) => e.action === 'attachment.added').map((e) => e.detail.fileName)).toEqual([
      '现场照片.jpg',
      '询问笔录.pdf',
      '陈述.txt',
    ]);
  });

  it('refuses agencies not on the matter, executables, and files over the size limit', async () => {
    const outsider = (await app.http.login('dh.staff')).accessToken;
    expect((await app.http.upload(`/api/matters/${matter.id}/attachments`, PNG, 'x.png', outsider)).status).toBe(404);
    const [first] = (await app.http.get<AttachmentView[]>(`/api/matters/${matter.id}/attachments`, officer)).body;
    expect((await app.http.download(`/api/attachments/${first?.id}`, outsider)).status).toBe(404);

    const elf = Buffer.concat([Buffer.from('7f454c46020101000000000000000000', 'hex'), Buffer.alloc(64, 1)]);
    const exe = await app.http.upload(`/api/matters/${matter.id}/attachments`, elf, '照片.png', officer);
    expect(exe.status).toBe(415);
    expect(exe.body).toMatchObject({
      statusCode: 415,
      details: [{ field: 'file', message: expect.stringContaining('不支持') }],
    });

    const big = await app.http.upload(
      `/api/matters/${matter.id}/attachments`,
      Buffer.alloc(70_000, 0x41),
      'big.txt',
      officer,
    );
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ statusCode: 413 });
    const missing = await app.http.request('POST', `/api/matters/${matter.id}/attachments`, {
      token: officer,
      body: {},
    });
    expect(missing.status).toBe(400);
    expect((await app.http.get<AttachmentView[]>(`/api/matters/${matter.id}/attachments`, officer)).body).toHaveLength(
      3,
    );
  });
});
