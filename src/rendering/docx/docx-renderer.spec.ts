import PizZip from 'pizzip';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { findUnresolvedTags, listTemplateTags, renderDocx } from './docx-renderer';
import { assertWellFormedDocx, bodyText, partXml, tinyTemplate } from './docx-test-helpers';

function renderError(template: Buffer, model: object): AppError {
  try {
    renderDocx(template, model);
  } catch (error: unknown) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the render to fail');
}

describe(renderDocx.name, () => {
  it('fills dotted tags, looks outwards through enclosing scopes, and uses "." for the item', () => {
    const template = tinyTemplate([
      '{#people}',
      '{name.full} of {court.name}; {#tags}[{.}]{/tags}',
      '{/people}',
    ]);
    const model = {
      court: { name: 'County Court' },
      people: [
        { name: { full: 'Ana' }, tags: ['a', 'b'] },
        { name: { full: 'Ben' }, tags: [] },
      ],
    };

    const text = bodyText(renderDocx(template, model));

    expect(text).toContain('Ana of County Court; [a][b]');
    expect(text).toContain('Ben of County Court; ');
    // paragraphLoop: the paragraphs that held only {#people} and {/people} are gone.
    expect(text).not.toContain('{');
  });

  it('shows sections for true values and inverted sections for false ones', () => {
    const template = tinyTemplate(['{#yes}☒{/yes}{^yes}☐{/yes} {#no}☒{/no}{^no}☐{/no}']);
    expect(bodyText(renderDocx(template, { yes: true, no: false }))).toContain('☒ ☐');
  });

  it('renders an empty string as nothing, without complaint', () => {
    const template = tinyTemplate(['[{court.caseNumber}]']);
    expect(bodyText(renderDocx(template, { court: { caseNumber: '' } }))).toContain('[]');
  });

  it('fails with RenderFailed naming every tag that has no value', () => {
    const template = tinyTemplate([
      '{petitioner.fullName} {respondent.nickname} {#incidents}{policeRef}{/incidents}',
    ]);
    const error = renderError(template, {
      petitioner: { fullName: 'Ana' },
      incidents: [{ when: 'x' }],
    });

    expect(error.code).toBe(ErrorCode.RenderFailed);
    expect(error.message).toContain('respondent.nickname');
    expect(error.details.map((d) => d.tag)).toEqual(['respondent.nickname', 'policeRef']);
    expect(error.details[1].field).toBe('incidents > policeRef');
  });

  it('prints booleans and plain lists as text, but refuses to print an object', () => {
    const template = tinyTemplate(['{flag} {list} {obj}']);
    const error = renderError(template, { flag: true, list: ['a', 'b'], obj: { a: 1 } });
    expect(error.details.map((d) => d.tag)).toEqual(['obj']);
    expect(
      bodyText(renderDocx(tinyTemplate(['{flag} {list}']), { flag: true, list: ['a', 'b'] })),
    ).toContain('Yes a, b');
  });

  it('never reaches prototypes or functions through a tag', () => {
    const template = tinyTemplate(['{constructor.name}{toString}']);
    const error = renderError(template, {});
    expect(error.details.map((d) => d.tag)).toEqual(['constructor.name', 'toString']);
  });

  it('collects template syntax errors into one RenderFailed with an id per error', () => {
    const template = tinyTemplate(['{#open} {unclosed', '{/other}']);
    const error = renderError(template, {});

    expect(error.code).toBe(ErrorCode.RenderFailed);
    expect(error.details.length).toBeGreaterThanOrEqual(2);
    for (const detail of error.details) {
      expect(typeof detail.id).toBe('string');
      expect(detail.message).toBeTruthy();
    }
  });

  it('writes user text literally: tags, code, markup and XML-illegal characters cannot escape', () => {
    const hostile =
      "{#x}{/x} {{constructor.constructor('return process')().exit()}} <w:t>bold</w:t> & ]]> \u0001\u0007\u000b end";
    const out = renderDocx(tinyTemplate(['N: {narrative}']), { narrative: hostile });

    const xml = partXml(out, 'word/document.xml');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(bodyText(out)).toContain(
      "N: {#x}{/x} {{constructor.constructor('return process')().exit()}} <w:t>bold</w:t> & ]]>  end",
    );
    expect(() => assertWellFormedDocx(out)).not.toThrow();
  });

  it('turns newlines in a value into Word line breaks', () => {
    const out = renderDocx(tinyTemplate(['{narrative}']), { narrative: 'one\r\ntwo\nthree' });
    expect(partXml(out, 'word/document.xml')).toMatch(/one.*<w:br\/>.*two.*<w:br\/>.*three/s);
  });

  it('leaves document properties neutral', () => {
    const zip = new PizZip(tinyTemplate(['{x}']));
    zip.file(
      'docProps/core.xml',
      '<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Domestic violence petition of Ana</dc:title>' +
        '<dc:creator>Ana</dc:creator><cp:keywords>domestic violence</cp:keywords></cp:coreProperties>',
    );
    const out = renderDocx(zip.generate({ type: 'nodebuffer' }), { x: 'y' });

    const core = partXml(out, 'docProps/core.xml');
    expect(core).not.toMatch(/Ana|domestic|violence/i);
    expect(core).toContain('<dc:title>Court document</dc:title>');
  });
});

describe(listTemplateTags.name, () => {
  it('lists each tag with the sections it sits in', () => {
    const template = tinyTemplate([
      '{court.name}',
      '{#incidents}',
      '{when}{#policeCalled}{police}{/policeCalled}{^hasActs}none{/hasActs}',
      '{/incidents}',
    ]);

    expect(listTemplateTags(template)).toEqual([
      { tag: 'court.name', loopPath: [], kind: 'value' },
      { tag: 'incidents', loopPath: [], kind: 'section' },
      { tag: 'when', loopPath: ['incidents'], kind: 'value' },
      { tag: 'policeCalled', loopPath: ['incidents'], kind: 'section' },
      { tag: 'police', loopPath: ['incidents', 'policeCalled'], kind: 'value' },
      { tag: 'hasActs', loopPath: ['incidents'], kind: 'inverted' },
    ]);
  });

  it('finds the tags a model cannot fill, ignoring sections the model hides', () => {
    const tags = listTemplateTags(
      tinyTemplate(['{a}{b}', '{#list}{c}{d}{/list}', '{#off}{e}{/off}']),
    );
    const unresolved = findUnresolvedTags(tags, { a: '', list: [{ c: 'x' }], off: false });
    expect(unresolved.map((t) => t.tag)).toEqual(['b', 'd']);
    expect(findUnresolvedTags(tags, { a: '', b: '', list: [], off: false })).toEqual([]);
  });
});
