import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEMPLATES as TEMPLATE_SPECS, templateParts } from '../../../scripts/build-docx-templates';
import { FixtureName } from '../../../test/support/fixtures';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { CaseViewModel } from '../../view-models/case-view-model';
import { resolvePath } from '../../view-models/resolve-path';
import { findUnresolvedTags, listTemplateTags, renderDocx } from './docx-renderer';
import {
  assertWellFormedDocx,
  bodyText,
  fixtureModel,
  genericTemplate,
  GenericTemplate,
  headerText,
  partXml,
} from './docx-test-helpers';

/**
 * What a clerk or a judge reads in the generic-us petition and declaration, rendered from the
 * shared fixtures. Set DOCX_SPEC_OUT=<dir> to keep the rendered files for a look in Word.
 */

const TEMPLATES: GenericTemplate[] = ['petition', 'declaration'];
const rendered = new Map<string, Buffer>();

function render(
  template: GenericTemplate,
  name: FixtureName,
): { docx: Buffer; body: string; header: string; vm: CaseViewModel } {
  const key = `${template}-${name}`;
  const vm = fixtureModel(name);
  let docx = rendered.get(key);
  if (!docx) {
    docx = renderDocx(genericTemplate(template), vm);
    rendered.set(key, docx);
    if (process.env.DOCX_SPEC_OUT)
      writeFileSync(join(process.env.DOCX_SPEC_OUT, `${key}.docx`), docx);
  }
  return { docx, body: bodyText(docx), header: headerText(docx), vm };
}

/** Positions of each needle in the text, failing the test if one is missing. */
function positions(text: string, needles: string[]): number[] {
  return needles.map((n) => {
    const at = text.indexOf(n);
    if (at < 0) throw new Error(`"${n}" is not in the document`);
    return at;
  });
}

/** The checklist line of a relief item, as printed: its box and its bold label. */
function reliefLine(body: string, label: string): string {
  const line = body.split('\n').find((l) => new RegExp(`^[☐☒]\\t${label}`).test(l));
  if (!line) throw new Error(`no relief line "${label}"`);
  return line;
}

describe('generic-us DOCX templates', () => {
  it.each(TEMPLATES)(
    '%s.docx is exactly what scripts/build-docx-templates.ts builds',
    (template) => {
      const committed = genericTemplate(template);
      for (const [path, xml] of Object.entries(templateParts(TEMPLATE_SPECS[template]()))) {
        expect({ path, xml: partXml(committed, path) }).toEqual({ path, xml });
      }
    },
  );

  describe.each(['minimal', 'maximal'] as FixtureName[])('with the %s fixture', (name) => {
    it.each(TEMPLATES)('%s: every tag resolves to a value in the view model', (template) => {
      const vm = fixtureModel(name);
      const tags = listTemplateTags(genericTemplate(template));

      expect(tags.length).toBeGreaterThan(20);
      expect(findUnresolvedTags(tags, vm)).toEqual([]);
      // Top-level tags must exist whatever the case: that is what keeps lint honest for other cases.
      for (const t of tags.filter((t) => t.loopPath.length === 0)) {
        expect({ tag: t.tag, value: resolvePath(vm, t.tag) }).toEqual({
          tag: t.tag,
          value: expect.anything(),
        });
      }
    });
  });

  describe.each(['minimal', 'typical', 'maximal'] as FixtureName[])(
    'petition for the %s fixture',
    (name) => {
      it('names both parties in the caption and in the header, with the case number box', () => {
        const { body, header, vm } = render('petition', name);
        const caseNo = vm.court.caseNumber || '____________________';

        expect(body).toContain(`${vm.petitioner.fullName},\n\t\tPetitioner,`);
        expect(body).toContain(`${vm.respondent.fullName},\n\t\tRespondent.`);
        expect(body).toContain(`Case No.: ${caseNo}`);
        expect(body).toContain('Petition for Protective Order');
        expect(body).toContain(vm.court.name);
        expect(header).toContain(`${vm.petitioner.fullName} v. ${vm.respondent.fullName}`);
        expect(header).toContain(`Case No. ${vm.court.caseNumber || '__________'}`);
      });

      it('gives the mailing address for court papers and never the residence', () => {
        const { docx, body, header, vm } = render('petition', name);

        expect(body).toContain(vm.petitioner.mailing.oneLine);
        if (vm.petitioner.residence.present) {
          const everything = `${body}\n${header}\n${partXml(docx, 'word/footer1.xml')}`;
          expect(everything).not.toContain(vm.petitioner.residence.street);
          expect(everything).not.toContain(vm.petitioner.residence.oneLine);
        }
      });

      it('states the relationship and summarizes each incident in date order with its police report', () => {
        const { body, vm } = render('petition', name);

        expect(body).toContain(vm.relationship.statement);
        const at = positions(
          body,
          vm.incidents.map((i) => `(${i.number}) ${i.when}`),
        );
        expect([...at].sort((a, b) => a - b)).toEqual(at);
        for (const i of vm.incidents.filter((i) => i.policeReportNumber)) {
          expect(body).toContain(i.policeReportNumber);
        }
      });

      it('ticks exactly the relief the petitioner asked for', () => {
        const { body, vm } = render('petition', name);
        const boxes: [string, boolean][] = [
          ['Personal conduct', vm.orders.personalConduct],
          ['No contact', vm.orders.noContact],
          ['Stay away', vm.orders.stayAway.requested],
          ['Move out', vm.orders.moveOut.requested],
          ['Temporary custody', vm.orders.custody.requested],
          ['Visitation', vm.orders.visitation.requested],
          ['Firearms', vm.orders.firearmSurrender],
          ['Animals', vm.orders.pets.requested],
          ['Property', vm.orders.property.requested],
          ['Support', vm.orders.support.any],
          ['Other', vm.orders.hasOther],
        ];
        for (const [label, requested] of boxes) {
          expect({ label, box: reliefLine(body, label)[0] }).toEqual({
            label,
            box: requested ? '☒' : '☐',
          });
        }
        if (vm.orders.stayAway.requested) {
          expect(reliefLine(body, 'Stay away')).toContain(
            `at least ${vm.orders.stayAway.distanceYards} yards`,
          );
        }
      });

      it('names the protected children and household members when there are any', () => {
        const { body, vm } = render('petition', name);
        for (const p of vm.protectedPersons) expect(body).toContain(p.fullName);
        if (!vm.hasProtectedPersons)
          expect(body).toContain('does not ask that the order protect anyone else');
      });

      it('ends with the verification under the court state’s law, the date, place and typed name', () => {
        const { body, vm } = render('petition', name);
        expect(body).toContain(
          `I declare under penalty of perjury under the laws of the State of ${vm.court.stateName} that the foregoing is true and correct.`,
        );
        expect(body).toContain(`Executed on ${vm.signature.dateLong}, at ${vm.signature.place}.`);
        expect(body).toContain(`${vm.signature.typedName}\nPetitioner`);
        expect(body.includes('Attorney for Petitioner')).toBe(vm.attorney.present);
      });
    },
  );

  describe.each(['minimal', 'typical', 'maximal'] as FixtureName[])(
    'declaration for the %s fixture',
    (name) => {
      it('is the petitioner’s declaration, with the incidents in date order and their details', () => {
        const { body, header, vm } = render('declaration', name);

        expect(body).toContain(
          `Declaration of ${vm.petitioner.fullName} in Support of Petition for Protective Order`,
        );
        expect(body).toContain(`I, ${vm.petitioner.fullName}, declare:`);
        expect(header).toContain(`${vm.petitioner.fullName} v. ${vm.respondent.fullName}`);
        const at = positions(
          body,
          vm.incidents.map((i) => `${i.when}, the Respondent ${i.acts}.`),
        );
        expect([...at].sort((a, b) => a - b)).toEqual(at);
        for (const i of vm.incidents) {
          if (i.policeReportNumber) expect(body).toContain(i.policeReportNumber);
          if (i.hasChildrenPresent)
            expect(body).toContain(`Children present: ${i.childrenPresent}.`);
          if (i.hasWitnesses) expect(body).toContain(`Witnesses: ${i.witnesses}.`);
        }
        expect(body).toContain(`Executed on ${vm.signature.dateLong}, at ${vm.signature.place}.`);
      });

      it('never shows the confidential residence', () => {
        const { body, header, vm } = render('declaration', name);
        if (vm.petitioner.residence.present)
          expect(`${body}${header}`).not.toContain(vm.petitioner.residence.street);
      });
    },
  );

  it.each(TEMPLATES)(
    '%s: a value missing from the view model is a RenderFailed naming its tag',
    (template) => {
      const vm = fixtureModel('typical');
      const court: Partial<CaseViewModel['court']> = { ...vm.court };
      delete court.caseNumber;

      let failure: unknown;
      try {
        renderDocx(genericTemplate(template), { ...vm, court });
      } catch (error: unknown) {
        failure = error;
      }

      expect(failure).toBeInstanceOf(AppError);
      expect((failure as AppError).code).toBe(ErrorCode.RenderFailed);
      expect((failure as AppError).message).toContain('court.caseNumber');
      expect((failure as AppError).details.every((d) => d.tag === 'court.caseNumber')).toBe(true);
    },
  );

  describe('with the maximal fixture', () => {
    it.each(TEMPLATES)(
      '%s: prints Unicode names and hostile narrative text literally, in a well-formed file',
      (template) => {
        const { docx, body, header } = render(template, 'maximal');

        expect(body).toContain('Nguyễn Thị Hằng');
        expect(body).toContain('李小龍');
        expect(header).toContain('Nguyễn Thị Hằng v. 李小龍');
        if (template === 'declaration') {
          expect(body).toContain(
            "{#x}{/x} {{constructor.constructor('return process')().exit()}} <w:t>bold</w:t> & ]]>  end.",
          );
        }
        expect(() => assertWellFormedDocx(docx)).not.toThrow();
      },
    );

    it('keeps the document properties neutral', () => {
      const core = partXml(render('petition', 'maximal').docx, 'docProps/core.xml');
      expect(core).not.toMatch(/Nguy|李|domestic|violence|protective/i);
    });
  });

  describe('as a PDF', () => {
    const soffice = findTool('soffice');
    const pdftotext = findTool('pdftotext');
    const run = soffice && pdftotext ? it : it.skip;
    if (!soffice || !pdftotext) {
      // Visible in the test output so a skipped check is never mistaken for a passing one.
      console.warn('Skipping the PDF check: soffice and pdftotext must both be on PATH.');
    }

    run(
      'names the petitioner and the respondent on page 1 of the petition',
      () => {
        const dir = mkdtempSync(join(tmpdir(), 'petition-pdf-'));
        try {
          const { docx, vm } = render('petition', 'typical');
          writeFileSync(join(dir, 'petition.docx'), docx);
          execFileSync(
            soffice as string,
            ['--headless', '--convert-to', 'pdf', '--outdir', dir, join(dir, 'petition.docx')],
            {
              env: { ...process.env, HOME: dir },
              stdio: 'ignore',
              timeout: 120_000,
            },
          );
          execFileSync(pdftotext as string, [
            '-f',
            '1',
            '-l',
            '1',
            '-layout',
            join(dir, 'petition.pdf'),
            join(dir, 'page1.txt'),
          ]);
          const page1 = readFileSync(join(dir, 'page1.txt'), 'utf8');

          expect(page1).toContain(vm.petitioner.fullName);
          expect(page1).toContain(vm.respondent.fullName);
          expect(page1).toMatch(/Page 1 of \d+/);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
      180_000,
    );
  });
});

function findTool(name: string): string | undefined {
  try {
    return execFileSync('which', [name], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
