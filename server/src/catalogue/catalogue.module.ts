import { Module } from '@nestjs/common';
import { CatalogueFileService } from './catalogue-file.service.js';
import { CatalogueController } from './catalogue.controller.js';
import { CatalogueService } from './catalogue.service.js';

/** The enforcement item catalogue: items, versioned responsibility boundaries, routing. */
@Module({
  controllers: [CatalogueController],
  providers: [CatalogueService, CatalogueFileService],
  exports: [CatalogueService],
})
export class CatalogueModule {}
