import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../config/project-root';
import type { ErrorDetail } from '../common/errors/error-code';
import { checkGlossary, fold, formsOf, screenViewTexts, termsOnScreen } from './glossary';
import { Glossary, InterviewDefinition, LANGUAGES, Language } from './interview-definition';
import { InterviewEngine } from './interview-engine';
import { loadInterviewForPack } from './interview-loader';
import { screenTexts } from './readability';

const TEMPLATES = join(projectRoot(), 'templates');
const PACKS = readdirSync(TEMPLATES).filter((d) => existsSync(join(TEMPLATES, d, 'manifest.json')));
const INTERVIEWS = new Map<string, InterviewDefinition>(
  PACKS.map((p) => [p, loadInterviewForPack(TEMPLATES, p)]),
);
const glossary = INTERVIEWS.get('generic-us')?.glossary as Glossary;

function screen(pack: string, id: string, lang: Language): string[] {
  const def = INTERVIEWS.get(pack) as InterviewDefinition;
  const found = screenTexts(def, lang).find((s) => s.id === id);
  if (!found) throw new Error(`no screen ${id} in ${pack}`);
  return [...found.texts, ...found.names];
}

const terms = (texts: string[], lang: Language): string[] =>
  termsOnScreen(glossary, texts, lang).map((t) => t.term);

/**
 * Words a petitioner may not know that the screens use. Wherever one appears, the glossary must
 * explain it there; a screen that starts using "affidavit" without an entry fails here.
 */
// prettier-ignore
const LEGAL_WORDS: Record<Language, string[]> = {
  en: [
    'petitioner', 'respondent', 'file', 'filing', 'serve', 'served', 'clerk', 'hearing',
    'protective order', 'protection order', 'restraining order', 'abuse prevention order',
    '209A', 'personal protection order', 'PPO', 'temporary order', 'custody', 'visitation',
    'child support', 'spousal support', 'surrender', 'affidavit', 'declaration', 'perjury',
    'witness', 'address confidentiality program', 'interpreter', 'Superior Court',
    'circuit court', 'District Court', 'Boston Municipal Court', 'Probate and Family Court',
  ],
  es: [
    'demandante', 'demandado', 'presentar', 'notificar', 'secretario', 'audiencia',
    'orden de protección', 'orden de restricción', 'orden de prevención de abuso', 'orden 209A',
    'orden de protección personal', 'PPO', 'orden temporal', 'custodia', 'visitas',
    'manutención', 'declaración jurada', 'perjurio', 'testigo', 'intérprete',
    'programa de confidencialidad de domicilio', 'Corte Superior', 'corte de circuito',
  ],
};

function contains(text: string, word: string): boolean {
  const w = fold(word).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${w}(?![\\p{L}\\p{N}])`, 'u').test(fold(text));
}

describe('glossary', () => {
  it('is loaded with every interview', () => {
    for (const def of INTERVIEWS.values()) expect(def.glossary).toEqual(glossary);
    expect(Object.keys(glossary).length).toBeGreaterThanOrEqual(20);
  });

  it('finds the legal words on sample screens, in the order they appear', () => {
    expect(terms(screen('generic-us', 'signature', 'en'), 'en')).toEqual(['perjury', 'file']);
    expect(terms(screen('generic-us', 'mailing-kind', 'en'), 'en')).toEqual([
      'respondent',
      'address confidentiality program',
    ]);
    expect(terms(screen('ca-dv', 'court', 'es'), 'es')).toEqual([
      'presentar',
      'Corte Superior',
      'secretario de la corte',
      'orden de restricción',
      'demandado',
    ]);
    expect(terms(screen('generic-us', 'orders-children', 'en'), 'en')).toEqual([
      'custody',
      'visitation',
      'respondent',
      'child support',
    ]);
    expect(terms(screen('generic-us', 'your-gender', 'en'), 'en')).toEqual([]);
  });

  it('returns the explanation in the language asked for', () => {
    const [perjury] = termsOnScreen(glossary, ['bajo pena de perjurio'], 'es');
    expect(perjury).toEqual({ term: 'perjurio', explanation: glossary.perjury.es.explanation });
  });

  it('matches whole words, ignoring case and accents', () => {
    expect(terms(['Update your PROFILE.'], 'en')).toEqual([]);
    expect(terms(['The Respondent was SERVED.'], 'en')).toEqual(['respondent', 'serve']);
    expect(terms(['La audiencia y la notificacion'], 'es')).toEqual(['audiencia', 'notificar']);
    expect(terms(['Pida una orden de proteccion'], 'es')).toEqual(['orden de protección']);
  });

  it('explains the longer of two overlapping terms only', () => {
    expect(terms(['Ask for a personal protection order (PPO).'], 'en')).toEqual([
      'personal protection order',
    ]);
    expect(terms(['A protection order and a PPO.'], 'en')).toEqual([
      'protective order',
      'personal protection order',
    ]);
  });

  it('takes the texts of a screen view, as the service will pass them', () => {
    const def = INTERVIEWS.get('generic-us') as InterviewDefinition;
    const engine = new InterviewEngine(def);
    const view = engine.view(engine.start(), 'en');
    expect(screenViewTexts(view)).toEqual(
      expect.arrayContaining([view.title, view.questions[0].label]),
    );
    expect(termsOnScreen(glossary, screenViewTexts(view), 'en').map((t) => t.term)).toEqual([
      'petitioner',
    ]);
  });

  it.each(LANGUAGES)('has every %s term used on at least one screen of some pack', (lang) => {
    const used = new Set<string>();
    for (const def of INTERVIEWS.values()) {
      for (const s of screenTexts(def, lang)) {
        for (const t of termsOnScreen(glossary, [...s.texts, ...s.names], lang)) used.add(t.term);
      }
    }
    const unused = Object.values(glossary)
      .map((e) => e[lang].term)
      .filter((t) => !used.has(t));
    expect(unused).toEqual([]);
  });

  it.each(LANGUAGES)('explains every legal word on each %s screen where it appears', (lang) => {
    const unexplained: { pack: string; screen: string; word: string }[] = [];
    for (const [pack, def] of INTERVIEWS) {
      for (const s of screenTexts(def, lang)) {
        const texts = [...s.texts, ...s.names];
        const shown = termsOnScreen(glossary, texts, lang);
        const explained = Object.values(glossary)
          .filter((e) => shown.some((t) => t.term === e[lang].term))
          .flatMap((e) => formsOf(e[lang]));
        for (const word of LEGAL_WORDS[lang]) {
          const inText = texts.some((t) => contains(t, word));
          // A word inside a longer explained term ("order" in "protective order") counts too.
          const covered = explained.some((f) => contains(f, word) || contains(word, f));
          if (inText && !covered) unexplained.push({ pack, screen: s.id, word });
        }
      }
    }
    expect(unexplained).toEqual([]);
  });

  it('refuses a glossary with a missing language, an unknown key or a word explained twice', () => {
    const problems: ErrorDetail[] = [];
    const bad = {
      hearing: { en: { term: 'hearing', explanation: 'A meeting in court.' } },
      'court-date': {
        en: { term: 'court date', explanation: 'When to go.', also: ['hearing'] },
        es: { term: 'fecha', explanation: 'Cuándo ir.', note: 'x' },
      },
    };
    expect(checkGlossary(bad, 'glossary.json', problems)).toBe(false);
    expect(problems).toEqual(
      expect.arrayContaining([
        { field: 'glossary.json hearing.es', message: 'missing: give term and explanation' },
        { field: 'glossary.json court-date.en', message: '"hearing" is also a form of "hearing"' },
        { field: 'glossary.json court-date.es', message: 'unknown key "note"' },
      ]),
    );
  });
});
