import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { PacketBuilder } from '../packets/packet-builder';
import { DocxToPdfConverter } from './convert/docx-to-pdf';

@Module({
  providers: [
    {
      provide: DocxToPdfConverter,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new DocxToPdfConverter(config.SOFFICE_PATH),
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
