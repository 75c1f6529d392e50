import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { fileTypeFromBuffer } from 'file-type';
import type { AttachmentView } from '@xietong/shared';
import { Agency } from '../agencies/agency.entity.js';
import { Forbidden, NotFound, UnsupportedMediaType, ValidationFailed } from '../common/errors.js';
import type { Actor } from '../common/policy/actor.js';
import { type Matter, Referral, TimelineEntry } from '../referrals/referral.entity.js';
import { ReferralsService } from '../referrals/referrals.service.js';
import { User } from '../users/user.entity.js';
import { Attachment } from './attachment.entity.js';
import { AttachmentStorage } from './storage.js';

/** What may be uploaded, by sniffed type: documents, images, audio and video evidence, spreadsheets. */
const ALLOWED = new Set([
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/heic',
  'video/mp4',
  'video/quicktime',
  'audio/mpeg',
  'audio/mp4',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/zip',
  'text/plain',
]);

export interface UploadedFile {
  buffer: Buffer;
  originalname: string;
}

@Injectable()
export class AttachmentsService {
  constructor(
    private readonly em: EntityManager,
    private readonly referrals: ReferralsService,
    private readonly storage: AttachmentStorage,
  ) {}

  /** Stores a file on a matter: its type sniffed from the bytes, its SHA-256 recorded. */
  async upload(
    actor: Actor,
    matterId: string,
    file: UploadedFile | undefined,
    referralId?: string,
  ): Promise<AttachmentView> {
    if (!file?.buffer.length) throw new ValidationFailed([{ field: 'file', message: '请上传文件' }]);
    const { matter, parties } = await this.referrals.readableMatter(actor, matterId);
    if (!parties.some((p) => p.agency.id === actor.agencyId)) {
      throw new Forbidden('只有案件当事单位可以上传材料 (only an agency on the matter can add files)');
    }
    if (referralId && !(await this.em.findOne(Referral, { id: referralId, matter: matterId }))) {
      throw new ValidationFailed([{ field: 'referralId', message: '该移送不属于此案件' }]);
    }
    const contentType = await sniff(file.buffer);
    if (!contentType || !ALLOWED.has(contentType)) {
      throw new UnsupportedMediaType('file', `不支持的文件类型 (${contentType ?? 'unknown'})`);
    }
    const id = randomUUID();
    const key = `${id.slice(0, 2)}/${id}`;
    await this.storage.put(key, file.buffer);
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    const attachment = this.em.create(Attachment, {
      id,
      matter,
      referral: referralId ? this.em.getReference(Referral, referralId) : null,
      fileName: cleanName(file.originalname),
      contentType,
      size: file.buffer.length,
      sha256,
      storageKey: key,
      uploadedBy: this.em.getReference(User, actor.userId),
      agency: this.em.getReference(Agency, actor.agencyId),
    });
    this.em.create(TimelineEntry, {
      matter,
      referral: attachment.referral ?? null,
      actor: this.em.getReference(User, actor.userId),
      agency: this.em.getReference(Agency, actor.agencyId),
      action: 'attachment.added',
      fromState: null,
      toState: null,
      detail: { attachmentId: id, fileName: attachment.fileName, sha256, size: attachment.size },
    });
    await this.em.flush();
    return this.view(attachment);
  }

  async list(actor: Actor, matterId: string): Promise<AttachmentView[]> {
    await this.matterFor(actor, matterId);
    const rows = await this.em.find(Attachment, { matter: matterId }, { orderBy: { createdAt: 'asc' } });
    return rows.map((a) => this.view(a));
  }

  /** A download is authorised like the matter it belongs to. */
  async open(actor: Actor, id: string): Promise<{ attachment: Attachment; stream: NodeJS.ReadableStream }> {
    const attachment = await this.em.findOne(Attachment, { id });
    if (!attachment) throw new NotFound('attachment');
    await this.matterFor(actor, attachment.matter.id);
    return { attachment, stream: this.storage.open(attachment.storageKey) };
  }

  private async matterFor(actor: Actor, matterId: string): Promise<Matter> {
    return (await this.referrals.readableMatter(actor, matterId)).matter;
  }

  private view(a: Attachment): AttachmentView {
    return {
      id: a.id,
      matterId: a.matter.id,
      referralId: a.referral?.id ?? null,
      fileName: a.fileName,
      contentType: a.contentType,
      size: a.size,
      sha256: a.sha256,
      createdAt: a.createdAt.toISOString(),
    };
  }
}

/** The type the bytes say; plain UTF-8 text has no magic number, so it is recognised separately. */
async function sniff(buffer: Buffer): Promise<string | undefined> {
  const found = await fileTypeFromBuffer(buffer);
  if (found) return found.mime;
  const head = buffer.subarray(0, 4096);
  if (head.includes(0)) return undefined;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // A 4 KiB cut may split a multi-byte character: try up to 3 bytes shorter.
  const cuts = buffer.length > head.length ? [0, 1, 2, 3] : [0];
  const text = cuts.some((cut) => {
    try {
      decoder.decode(head.subarray(0, head.length - cut));
      return true;
    } catch {
      return false;
    }
  });
  return text ? 'text/plain' : undefined;
}

function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'file';
  // Control characters and quotes would break the Content-Disposition header.
  const printable = [...base].filter((c) => c.charCodeAt(0) >= 0x20 && c !== '"').join('');
  return printable.slice(0, 200) || 'file';
}
