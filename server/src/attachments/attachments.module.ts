import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { AppConfig } from '../config/app-config.provider.js';
import { AttachmentsController } from './attachments.controller.js';
import { AttachmentsService } from './attachments.service.js';
import { ReferralsModule } from '../referrals/referrals.module.js';
import { AttachmentStorage, LocalDiskStorage } from './storage.js';

/** Attachments: a storage interface (local disk by default), sniffed types, SHA-256, authorised downloads. */
@Module({
  imports: [
    ReferralsModule,
    MulterModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        storage: memoryStorage(),
        // Browsers send file names as raw UTF-8 without a charset: 现场照片.jpg, not mojibake.
        defParamCharset: 'utf8',
        limits: { fileSize: config.attachments.maxBytes, files: 1 },
      }),
    }),
  ],
  controllers: [AttachmentsController],
  providers: [
    AttachmentsService,
    {
      provide: AttachmentStorage,
      inject: [AppConfig],
      useFactory: (c: AppConfig) => new LocalDiskStorage(c.attachments.dir),
    },
  ],
})
export class AttachmentsModule {}
