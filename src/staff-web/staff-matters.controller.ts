import {
  Controller,
  Get,
  Param,
  Post,
  Req,
  Res,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Request, Response } from 'express';
import { CurrentPrincipal, RequirePermission } from '../accounts/permission.guard';
import type { Principal } from '../accounts/principal';
import { UsersService } from '../accounts/users.service';
import { VALIDATOR_OPTIONS, parseCaseFacts } from '../case-facts/parse-case-facts';
import { AppError } from '../common/errors/app-error';
import { ERROR_STATUS } from '../common/errors/app-error.filter';
import { ErrorCode, ErrorDetail } from '../common/errors/error-code';
import { sha256 } from '../common/sha256';
import { EntityIdPipe } from '../common/validation/entity-id.pipe';
import { MatterFilter, MatterView } from '../matters/matter.dto';
import { MattersService } from '../matters/matters.service';
import { StaffContext, staffContext } from '../matters/staff-context';
import { PacksService } from '../packs/packs.service';
import { all, first, formBody } from '../web/form-input';
import { EditFactInput, FIELD_HASH_FIELD, editFactPage } from './edit-fact-page';
import { FormValue, formValueOf, readLeaf, withLeaf } from './fact-edit';
import { LeafAt, describePath, factAnchor, isConfidential, leafAt } from './fact-schema';
import { MatterAbilities, matterPage } from './matter-page';
import {
  EMPTY_FILTER,
  FILTER_FIELDS,
  MatterFilterForm,
  mattersListPage,
} from './matters-list-page';
import { StaffErrorFilter } from './staff-error.filter';
import { StaffFormCheck } from './staff-forms';
import { StaffPages, queryText, sendPage } from './staff-pages';

const PAGE_SIZE = 50;

/** What each filter field says when it is not accepted, in the words of its label. */
const FILTER_MESSAGES: Record<keyof MatterFilterForm, string> = {
  q: 'Name or reference must be at most 200 characters',
  status: 'Choose a status from the list',
  court: 'Court must be at most 200 characters',
  packId: 'Choose a forms pack from the list',
  from: 'Updated on or after must be a date such as 2026-03-01',
  to: 'Updated before must be a date such as 2026-03-31',
};

/** Failures of generating that staff can act on, said on the matter's page. */
const GENERATE_PROBLEMS: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.ValidationFailed,
  ErrorCode.ConfidentialLeak,
  ErrorCode.FormsNotInstalled,
  ErrorCode.GlyphMissing,
  ErrorCode.RenderFailed,
  ErrorCode.ConverterUnavailable,
  ErrorCode.PackNotFound,
  ErrorCode.PackInvalid,
]);

/**
 * The matters of the signed-in staff member's organisation, as pages. Everything goes through
 * MattersService, which scopes each call to the organisation and writes the audit trail.
 */
@ApiExcludeController()
@Controller('staff')
@UseFilters(StaffErrorFilter)
@UseInterceptors(StaffFormCheck)
export class StaffMattersController {
  constructor(
    private readonly matters: MattersService,
    private readonly packs: PacksService,
    private readonly users: UsersService,
    private readonly pages: StaffPages,
  ) {}

  // ---- the list ------------------------------------------------------------------------------

  @Get('matters')
  @RequirePermission('cases:read')
  async list(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.showList(req, res, who, { filter: EMPTY_FILTER, offset: 0 });
  }

  @Post('matters/search')
  @RequirePermission('cases:read')
  async search(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const body = formBody(req);
    const filter = { ...EMPTY_FILTER };
    for (const name of FILTER_FIELDS) filter[name] = (first(body, name) ?? '').trim();
    const offset = /^\d{1,6}$/.test(first(body, 'offset') ?? '')
      ? Number(first(body, 'offset'))
      : 0;
    await this.showList(req, res, who, { filter, offset });
  }

  /** A petitioner's share code: their case joins the organisation's matters. */
  @Post('shares')
  @RequirePermission('cases:write')
  async acceptShare(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const code = (first(formBody(req), 'code') ?? '').trim();
    const refuse = (error: string): Promise<void> =>
      this.showList(
        req,
        res,
        who,
        { filter: EMPTY_FILTER, offset: 0, share: { code, error } },
        400,
      );
    if (code === '') return refuse('Enter the share code');
    if (code.length > 40) return refuse('A share code is at most 40 characters');
    try {
      const { caseId } = await this.matters.acceptShare(staffContext(who, req), code);
      res.redirect(303, `/staff/matters/${caseId}`);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== ErrorCode.NotFound) throw e;
      return refuse(e.message);
    }
  }

  // ---- one matter ----------------------------------------------------------------------------

  @Get('matters/:id')
  @RequirePermission('cases:read')
  async matter(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<void> {
    const matter = await this.matters.view(staffContext(who, req), id, false);
    const saved = queryText(req, 'saved');
    const made = queryText(req, 'generated');
    await this.showMatter(req, res, who, matter, {
      saved: saved !== undefined ? leafAt(matter.facts, saved)?.description : undefined,
      generated: matter.packets.find((p) => p.id === made)?.version,
    });
  }

  /** A post, not a link: showing the confidential values is recorded, and never prefetched. */
  @Post('matters/:id/confidential')
  @RequirePermission('cases:read', 'confidential:read')
  async confidential(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<void> {
    const matter = await this.matters.view(staffContext(who, req), id, true);
    await this.showMatter(req, res, who, matter, { confidentialShown: true });
  }

  @Post('matters/:id/packets')
  @RequirePermission('packets:generate')
  async generate(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<void> {
    const ctx = staffContext(who, req);
    try {
      const packet = await this.matters.generate(ctx, id);
      res.redirect(303, `/staff/matters/${id}?generated=${packet.id}`);
    } catch (e) {
      if (!(e instanceof AppError) || !GENERATE_PROBLEMS.has(e.code)) throw e;
      const matter = await this.matters.view(ctx, id, false);
      const problems = [...new Set([e.message, ...e.details.map(humanMessage)])];
      await this.showMatter(req, res, who, matter, { problems }, ERROR_STATUS[e.code]);
    }
  }

  // ---- changing one fact ---------------------------------------------------------------------

  @Get('matters/:id/edit')
  @RequirePermission('cases:write')
  async editForm(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<void> {
    const { matter, leaf } = await this.factOf(staffContext(who, req), id, queryText(req, 'field'));
    const value = formValueOf(leaf);
    sendPage(
      res,
      editFactPage(this.pages.context(req, 'matters'), this.editInput(matter, leaf, value)),
    );
  }

  /**
   * Saves one fact. A fact that is not confidential is saved with the confidential values kept
   * as stored (the page never held them); a confidential one needs the whole facts, read in an
   * audited view, and replaces them. Either way the facts are validated as a whole first, so an
   * error names the field in the page's words.
   */
  @Post('matters/:id/edit')
  @RequirePermission('cases:write')
  async save(
    @CurrentPrincipal() who: Principal,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', EntityIdPipe) id: string,
  ): Promise<void> {
    const ctx = staffContext(who, req);
    const body = formBody(req);
    const { matter, leaf } = await this.factOf(ctx, id, first(body, 'field'));
    const typed = all(body, 'value');
    const shownAs: FormValue = leaf.spec.kind === 'enumList' ? typed : (typed[0] ?? '');
    const again = (error: string | undefined, otherErrors: string[] = [], status = 400): void =>
      sendPage(
        res,
        editFactPage(this.pages.context(req, 'matters'), {
          ...this.editInput(matter, leaf, shownAs),
          error,
          otherErrors,
        }),
        status,
      );
    // Someone else changed this fact since the form was filled: saving would undo their change.
    if (first(body, FIELD_HASH_FIELD) !== fieldHash(formValueOf(leaf))) {
      again(
        'This fact was changed by someone else after you opened the form. Check the value and save again.',
        [],
        409,
      );
      return;
    }
    const read = readLeaf(leaf.spec, leaf.label, typed);
    if (!read.ok) return again(read.error);
    try {
      const facts = parseCaseFacts(withLeaf(matter.facts, leaf.path, read), 'facts');
      await this.matters.update(ctx, id, facts, leaf.confidential ? 'replace' : 'keep');
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== ErrorCode.ValidationFailed) throw e;
      const own = `facts.${leaf.path}`;
      const mine = e.details.filter((d) => d.field === own || d.field?.startsWith(`${own}.`));
      const others = e.details.filter((d) => !mine.includes(d));
      const error =
        mine.length > 0
          ? mine.map((d) => d.message.replace(own, leaf.label)).join('; ')
          : undefined;
      return again(error, others.map(humanMessage));
    }
    const anchor = factAnchor(leaf.path);
    res.redirect(303, `/staff/matters/${id}?saved=${encodeURIComponent(leaf.path)}#${anchor}`);
  }

  // ---- helpers -------------------------------------------------------------------------------

  /**
   * The matter and the fact a path names. The matter is read first, so another organisation's
   * matter answers "not found" exactly as a missing one does, whatever the path. A confidential
   * fact is read from the whole facts, in a view that is audited as confidential.
   */
  private async factOf(
    ctx: StaffContext,
    id: string,
    field: string | undefined,
  ): Promise<{ matter: MatterView; leaf: LeafAt }> {
    const path = field ?? '';
    const matter = await this.matters.view(ctx, id, isConfidential(path));
    const leaf = leafAt(matter.facts, path);
    if (!leaf) throw AppError.notFound();
    return { matter, leaf };
  }

  private editInput(matter: MatterView, leaf: LeafAt, value: FormValue): EditFactInput {
    return {
      matterId: matter.id,
      reference: matter.reference,
      leaf,
      value,
      fieldHash: fieldHash(formValueOf(leaf)),
    };
  }

  private async showMatter(
    req: Request,
    res: Response,
    who: Principal,
    matter: MatterView,
    extra: { confidentialShown?: boolean; saved?: string; generated?: number; problems?: string[] },
    status = 200,
  ): Promise<void> {
    const staff = await this.users.list(who.organisationId);
    const page = matterPage(this.pages.context(req, 'matters'), {
      matter,
      confidentialShown: extra.confidentialShown ?? false,
      can: abilitiesOf(who),
      staffNames: new Map(staff.map((u) => [u.id, u.email])),
      saved: extra.saved,
      generated: extra.generated,
      problems: extra.problems,
    });
    sendPage(res, page, status);
  }

  private async showList(
    req: Request,
    res: Response,
    who: Principal,
    input: { filter: MatterFilterForm; offset: number; share?: { code: string; error?: string } },
    status = 200,
  ): Promise<void> {
    const { filter, errors } = toMatterFilter(input.filter);
    const matters =
      errors.size > 0
        ? []
        : await this.matters.list(staffContext(who, req), {
            ...filter,
            limit: PAGE_SIZE,
            offset: input.offset,
          });
    const packs = this.packs
      .list()
      .map((p) => ({
        value: p.manifest.id,
        label: `${p.manifest.jurisdiction.name} (${p.manifest.id})`,
      }))
      .sort((a, b) => a.label.localeCompare(b.label, 'en'));
    const page = mattersListPage(this.pages.context(req, 'matters'), {
      filter: input.filter,
      filterErrors: errors,
      matters,
      packs,
      offset: input.offset,
      more: matters.length === PAGE_SIZE,
      share: input.share ?? { code: '' },
      canAddShared: who.permissions.has('cases:write'),
    });
    sendPage(res, page, errors.size > 0 ? 400 : status);
  }
}

function abilitiesOf(who: Principal): MatterAbilities {
  return {
    write: who.permissions.has('cases:write'),
    generate: who.permissions.has('packets:generate'),
    download: who.permissions.has('packets:download'),
    confidential: who.permissions.has('confidential:read'),
  };
}

/** The filter as the service takes it, checked by the API's own rules, with the page's words. */
function toMatterFilter(form: MatterFilterForm): {
  filter: MatterFilter;
  errors: Map<string, string>;
} {
  const given = Object.fromEntries(
    FILTER_FIELDS.filter((n) => form[n] !== '').map((n) => [n, form[n]]),
  );
  const filter = plainToInstance(MatterFilter, given);
  const errors = new Map<string, string>();
  for (const e of validateSync(filter, VALIDATOR_OPTIONS)) {
    const name = e.property as keyof MatterFilterForm;
    if (name in FILTER_MESSAGES) errors.set(name, FILTER_MESSAGES[name]);
  }
  if (
    !errors.has('from') &&
    !errors.has('to') &&
    form.from !== '' &&
    form.to !== '' &&
    form.from >= form.to
  ) {
    errors.set('to', 'Updated before must be later than updated on or after');
  }
  return { filter, errors };
}

/**
 * The fact as its form showed it, hashed: the form carries the hash, not the value, so a save
 * can tell that someone else changed the fact meanwhile without the page holding it twice.
 */
function fieldHash(value: FormValue): string {
  return sha256(Buffer.from(JSON.stringify(value), 'utf8')).slice(0, 32);
}

/** `facts.incidents.0.date must be ...` as "Incident 1 – Date must be ...". */
function humanMessage(detail: ErrorDetail): string {
  const field = detail.field;
  if (field === undefined || !field.startsWith('facts.')) return detail.message;
  const words = describePath(field.slice('facts.'.length));
  return detail.message.startsWith(field)
    ? `${words}${detail.message.slice(field.length)}`
    : `${words}: ${detail.message}`;
}
