import { randomUUID } from 'node:crypto';
import { Controller, Get, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import {
  AmendBoundaryRequest,
  BlindSpotReport,
  DelegationChangeRequest,
  ExportQuery,
  ImportQuery,
  ImportResult,
  IsoDate,
  ItemDetail,
  ItemPage,
  ItemSearchQuery,
  ResponsibilityAnswer,
  ResponsibilityQuery,
  rooms,
  RoutePreviewQuery,
  SocketEvent,
} from '@xietong/shared';
import { ValidationFailed } from '../common/errors.js';
import type { Actor } from '../common/policy/actor.js';
import { CurrentActor, Policy } from '../common/policy/policy.decorator.js';
import { Returns, ValidBody, ValidQuery, ZodPipe } from '../common/zod.js';
import { RealtimeBus } from '../realtime/realtime.bus.js';
import { CatalogueFileService, type CatalogueFormat } from './catalogue-file.service.js';
import { IdempotencyInterceptor } from '../outbox/idempotency.js';
import { CatalogueService } from './catalogue.service.js';

/** What the multipart upload hands over (multer's file, the fields we use). */
interface UploadedSheet {
  buffer: Buffer;
  originalname: string;
  mimetype: string;
}

const ItemCode = new ZodPipe(z.string().trim().min(1).max(64));
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
const CONTENT_TYPES: Record<CatalogueFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

@ApiTags('catalogue')
@ApiBearerAuth()
@Controller('catalogue')
export class CatalogueController {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly files: CatalogueFileService,
    private readonly realtime: RealtimeBus,
  ) {}

  @Get('items')
  @Policy('catalogue.read')
  @Returns(200, ItemPage)
  search(@ValidQuery(ItemSearchQuery) query: ItemSearchQuery): Promise<ItemPage> {
    return this.catalogue.search(query);
  }

  @Get('items/:code')
  @Policy('catalogue.read')
  @Returns(200, ItemDetail)
  detail(@Param('code', ItemCode) code: string): Promise<ItemDetail> {
    return this.catalogue.detail(code);
  }

  /** 谁负责: one call, used by people and by referral routing. */
  @Get('items/:code/responsibility')
  @Policy('catalogue.read')
  @Returns(200, ResponsibilityAnswer)
  responsibility(
    @Param('code', ItemCode) code: string,
    @ValidQuery(ResponsibilityQuery) query: ResponsibilityQuery,
  ): Promise<ResponsibilityAnswer> {
    return this.catalogue.responsibility(code, query.township, query.date);
  }

  @Get('items/:code/route')
  @Policy('catalogue.read')
  @Returns(200)
  route(@Param('code', ItemCode) code: string, @ValidQuery(RoutePreviewQuery) query: RoutePreviewQuery) {
    return this.catalogue.routePreview(code, query.kind, query.township, query.date);
  }

  @Post('items/:code/versions')
  @Policy('catalogue.amend')
  @UseInterceptors(IdempotencyInterceptor)
  @Returns(201, ItemDetail)
  amend(
    @CurrentActor() actor: Actor,
    @Param('code', ItemCode) code: string,
    @ValidBody(AmendBoundaryRequest) body: AmendBoundaryRequest,
  ): Promise<ItemDetail> {
    return this.catalogue.amend(actor, code, body);
  }

  @Post('items/:code/delegations')
  @Policy('catalogue.amend')
  @UseInterceptors(IdempotencyInterceptor)
  @Returns(201, ItemDetail)
  delegate(
    @CurrentActor() actor: Actor,
    @Param('code', ItemCode) code: string,
    @ValidBody(DelegationChangeRequest) body: DelegationChangeRequest,
  ): Promise<ItemDetail> {
    return this.catalogue.changeDelegation(actor, code, body);
  }

  @Get('blind-spots')
  @Policy('catalogue.read')
  @Returns(200, BlindSpotReport)
  blindSpots(@ValidQuery(z.object({ date: IsoDate.optional() })) query: { date?: string }): Promise<BlindSpotReport> {
    return this.catalogue.blindSpots(query.date);
  }

  /**
   * Checks every row and imports nothing if any is bad (each bad row reported with its row
   * number); `dryRun=true` only reports what would change. Progress goes to the importing
   * user's sockets as `catalogue.import.progress`.
   */
  @Post('import')
  @Policy('catalogue.amend')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
  })
  @Returns(200, ImportResult)
  @UseInterceptors(
    FileInterceptor('file', { limits: { fileSize: MAX_IMPORT_BYTES, files: 1 }, defParamCharset: 'utf8' }),
  )
  async import(
    @CurrentActor() actor: Actor,
    @ValidQuery(ImportQuery) query: ImportQuery,
    @UploadedFile() file: UploadedSheet | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ImportResult> {
    if (!file?.buffer.length) throw new ValidationFailed([{ field: 'file', message: '请上传 XLSX 或 CSV 文件' }]);
    const format = query.format ?? formatOf(file);
    const importId = query.importId ?? randomUUID();
    const emit = (done: number, total: number, phase: 'checking' | 'writing' | 'done') => {
      this.realtime.io
        ?.to(rooms.user(actor.userId))
        .emit(SocketEvent.CatalogueImportProgress, { importId, phase, done, total });
    };
    const result = await this.files.import(
      actor,
      file.buffer,
      format,
      { dryRun: query.dryRun, fileName: file.originalname },
      emit,
    );
    emit(result.rows, result.rows, 'done');
    if (result.applied)
      this.realtime.io?.emit(SocketEvent.CatalogueChanged, { codes: result.changes.map((c) => c.code) });
    // Bad rows are the client's to fix: 422 with the full report, nothing written.
    if (result.errors.length > 0) res.status(422);
    else res.status(200);
    return result;
  }

  @Get('export')
  @Policy('catalogue.export')
  @ApiProduces(CONTENT_TYPES.xlsx, CONTENT_TYPES.csv)
  async export(@ValidQuery(ExportQuery) query: { format: CatalogueFormat }, @Res() res: Response): Promise<void> {
    const body = await this.files.export(query.format);
    const name = `enforcement-items-${new Date().toISOString().slice(0, 10)}.${query.format}`;
    res.setHeader('Content-Type', CONTENT_TYPES[query.format]);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(`执法事项目录.${query.format}`)}`,
    );
    res.send(body);
  }
}

function formatOf(file: UploadedSheet): CatalogueFormat {
  const name = file.originalname.toLowerCase();
  if (name.endsWith('.csv') || file.mimetype.includes('csv')) return 'csv';
  if (name.endsWith('.xlsx') || file.mimetype.includes('spreadsheetml')) return 'xlsx';
  // XLSX files are zip archives: "PK".
  return file.buffer.subarray(0, 2).toString('latin1') === 'PK' ? 'xlsx' : 'csv';
}
