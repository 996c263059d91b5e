import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { PacketBuilder } from '../packets/packet-builder';
import { DocxToPdfConverter } from './convert/docx-to-pdf';

@Module({
  providers: [
    {
      // Closed by Nest (onModuleDestroy / onApplicationShutdown) so that no LibreOffice outlives
      // the application.
      provide: DocxToPdfConverter,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new DocxToPdfConverter(config.SOFFICE_PATH, process.env, { mode: config.OFFICE_MODE }),
    },
    {
      provide: PacketBuilder,
      inject: [DocxToPdfConverter],
      useFactory: (converter: DocxToPdfConverter) => new PacketBuilder(converter),
    },
  ],
  exports: [DocxToPdfConverter, PacketBuilder],
})
export class RenderingModule {}
