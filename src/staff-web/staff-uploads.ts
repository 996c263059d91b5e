import {
  ArgumentsHost,
  BadRequestException,
  CallHandler,
  Catch,
  ExceptionFilter,
  ExecutionContext,
  HttpStatus,
  Inject,
  Injectable,
  NestInterceptor,
  PayloadTooLargeException,
  Type,
  mixin,
} from '@nestjs/common';
import { FileFieldsInterceptor } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import type { Readable } from 'node:stream';
import type { Observable } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { SafeHtml, attrs, describedBy, markup } from '../web/html';
import { StaffSection, messagePage } from './staff-layout';
import { StaffPages, sendPage } from './staff-pages';

/**
 * File uploads on the staff pages (a file of cases, a court's pack): multipart forms read by
 * multer into memory only, so that nothing uploaded is ever written to disk unencrypted, within
 * limits read from the configuration, and answered with a page that names the limit when too
 * much was sent. The form token is checked by StaffFormCheck bound after the interceptor: before
 * multer has read the body there are no fields to find it in.
 */

/** The part of multer's file record the pages read. */
export interface UploadedStaffFile {
  originalname: string;
  size: number;
  buffer: Buffer;
}

export interface StaffUploadRules {
  /** The form's file fields, with how many files each may carry. */
  fields: { name: string; maxCount: number }[];
  /** Most bytes the files of one form may hold together. */
  maxBytes: number;
  /** The form's other fields (the token, a choice, the button pressed), each short. */
  maxFields: number;
}

/** Enough for the form token and a pack id; nothing typed at length travels in an upload form. */
const FIELD_BYTES = 1024;

type StoredFile = { buffer: Buffer; size: number };

/**
 * multer's memory storage, with every file of a request counted against one limit: multer itself
 * bounds each file, and a form taking many files would otherwise hold their count times the limit.
 */
class CountedMemoryStorage {
  private readonly used = new WeakMap<object, number>();

  constructor(private readonly maxBytes: number) {}

  _handleFile(
    req: object,
    file: { stream: Readable },
    done: (error: Error | null, stored?: StoredFile) => void,
  ): void {
    const chunks: Buffer[] = [];
    let refused = false;
    file.stream.on('data', (chunk: Buffer) => {
      if (refused) return;
      const used = (this.used.get(req) ?? 0) + chunk.length;
      this.used.set(req, used);
      if (used <= this.maxBytes) {
        chunks.push(chunk);
        return;
      }
      // The stream goes on flowing, into nothing, so that multer can finish reading the request.
      refused = true;
      chunks.length = 0;
      done(new PayloadTooLargeException());
    });
    file.stream.on('end', () => {
      if (refused) return;
      const buffer = Buffer.concat(chunks);
      done(null, { buffer, size: buffer.length });
    });
  }

  _removeFile(_req: object, file: Partial<StoredFile>, done: (error: Error | null) => void): void {
    delete file.buffer;
    done(null);
  }
}

/** multer's codes for more files than a form takes: as much "too much" as too many bytes. */
function tooManyFiles(error: unknown, fields: StaffUploadRules['fields']): boolean {
  if (!(error instanceof BadRequestException)) return false;
  const cause = error.cause as { code?: unknown; field?: unknown } | undefined;
  return (
    cause?.code === 'LIMIT_FILE_COUNT' ||
    (cause?.code === 'LIMIT_UNEXPECTED_FILE' && fields.some((f) => f.name === cause.field))
  );
}

/**
 * An interceptor reading one upload form with Nest's own multer interceptor, its limits taken
 * from the configuration when the module starts (a decorator cannot read it). Make it once per
 * form, at the top of the controller's file.
 */
export function StaffUploadInterceptor(
  rulesOf: (config: AppConfig) => StaffUploadRules,
): Type<NestInterceptor> {
  @Injectable()
  class StaffUpload implements NestInterceptor {
    private readonly multer: NestInterceptor;
    private readonly rules: StaffUploadRules;

    constructor(@Inject(AppConfig) config: AppConfig) {
      this.rules = rulesOf(config);
      const files = this.rules.fields.reduce((n, f) => n + f.maxCount, 0);
      const Multer = FileFieldsInterceptor(this.rules.fields, {
        storage: new CountedMemoryStorage(this.rules.maxBytes),
        limits: {
          fileSize: this.rules.maxBytes,
          files,
          fields: this.rules.maxFields,
          fieldSize: FIELD_BYTES,
          parts: files + this.rules.maxFields,
        },
        // Browsers send file names in UTF-8; multer's default would read them as Latin-1.
        defParamCharset: 'utf8',
      });
      this.multer = new Multer();
    }

    async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      try {
        return await this.multer.intercept(context, next);
      } catch (e) {
        if (tooManyFiles(e, this.rules.fields)) throw new PayloadTooLargeException();
        throw e;
      }
    }
  }
  return mixin(StaffUpload);
}

/** The files a form's field carried, in the order they were sent; none when it carried none. */
export function uploadedFiles(req: Request, field: string): UploadedStaffFile[] {
  const files: unknown = (req as Request & { files?: unknown }).files;
  if (typeof files !== 'object' || files === null || Array.isArray(files)) return [];
  const list: unknown = (files as Record<string, unknown>)[field];
  return Array.isArray(list) ? (list as UploadedStaffFile[]) : [];
}

export interface TooLargeWords {
  title: string;
  heading: string;
  lines: string[];
}

/**
 * A page for an upload over its limit, naming the limit, instead of the general "too large" one
 * that speaks of forms. Bound to the upload route, ahead of the controller's StaffErrorFilter.
 */
export function UploadTooLargeFilter(
  section: StaffSection,
  wordsOf: (config: AppConfig) => TooLargeWords,
): Type<ExceptionFilter> {
  @Catch(PayloadTooLargeException)
  @Injectable()
  class UploadTooLarge implements ExceptionFilter {
    constructor(
      private readonly pages: StaffPages,
      @Inject(AppConfig) private readonly config: AppConfig,
    ) {}

    catch(_exception: PayloadTooLargeException, host: ArgumentsHost): void {
      const http = host.switchToHttp();
      const req = http.getRequest<Request>();
      const res = http.getResponse<Response>();
      if (res.headersSent) return;
      const page = messagePage(this.pages.context(req, section), wordsOf(this.config));
      sendPage(res, page, HttpStatus.PAYLOAD_TOO_LARGE);
    }
  }
  return mixin(UploadTooLarge);
}

export interface FileInputOptions {
  id: string;
  name: string;
  label: string;
  hint: string;
  accept: string;
  multiple?: boolean;
  error?: string;
}

/** A file control with its label, hint and error tied to it, as staff-fields.ts makes the others. */
export function fileInput(input: FileInputOptions): SafeHtml {
  const control = attrs({
    id: input.id,
    name: input.name,
    type: 'file',
    class: 'input input-file',
    accept: input.accept,
    multiple: input.multiple === true,
    'aria-describedby': describedBy(
      `${input.id}-hint`,
      input.error !== undefined && `${input.id}-error`,
    ),
    'aria-invalid': input.error !== undefined ? 'true' : undefined,
  });
  const error =
    input.error !== undefined &&
    markup`<p class="field-error" id="${input.id}-error"><span class="visually-hidden">Error: </span>${input.error}</p>\n`;
  return markup`<div class="${input.error === undefined ? 'field' : 'field field-invalid'}">
<label class="label" for="${input.id}">${input.label}</label>
<p class="hint" id="${input.id}-hint">${input.hint}</p>
${error}<input${control}>
</div>
`;
}
