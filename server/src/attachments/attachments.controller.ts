import { Controller, Get, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { AttachmentView } from '@xietong/shared';
import type { Actor } from '../common/policy/actor.js';
import { CurrentActor, Policy } from '../common/policy/policy.decorator.js';
import { Returns, UuidParam, ValidQuery } from '../common/zod.js';
import { AttachmentsService, type UploadedFile as Upload } from './attachments.service.js';

const UploadQuery = z.object({ referralId: z.uuid('须为移送 id').optional() });

@ApiTags('attachments')
@ApiBearerAuth()
@Controller()
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  /** Evidence or documents for a matter (optionally one of its referrals). Agencies on the matter only. */
  @Post('matters/:matterId/attachments')
  @Policy('attachment.upload')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
  })
  @Returns(201, AttachmentView)
  @UseInterceptors(FileInterceptor('file'))
  upload(
    @CurrentActor() actor: Actor,
    @UuidParam('matterId') matterId: string,
    @ValidQuery(UploadQuery) q: { referralId?: string },
    @UploadedFile() file: Upload | undefined,
  ): Promise<AttachmentView> {
    return this.attachments.upload(actor, matterId, file, q.referralId);
  }

  @Get('matters/:matterId/attachments')
  @Policy('matter.read')
  @Returns(200, z.array(AttachmentView))
  list(@CurrentActor() actor: Actor, @UuidParam('matterId') matterId: string): Promise<AttachmentView[]> {
    return this.attachments.list(actor, matterId);
  }

  /** The bytes, authorised like the matter; the SHA-256 recorded at upload rides along. */
  @Get('attachments/:attachmentId')
  @Policy('matter.read')
  async download(
    @CurrentActor() actor: Actor,
    @UuidParam('attachmentId') id: string,
    @Res() res: Response,
  ): Promise<void> {
    const { attachment, stream } = await this.attachments.open(actor, id);
    res.setHeader('Content-Type', attachment.contentType);
    res.setHeader('Content-Length', String(attachment.size));
    res.setHeader('X-Content-SHA256', attachment.sha256);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`);
    stream.pipe(res);
  }
}
