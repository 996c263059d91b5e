import { FontLibrary } from '../../rendering/pdf/font-library';

/**
 * Characters that typed text may not hold, because no court document can carry them as typed:
 * XML 1.0 (every DOCX part) has no way to write C0 controls other than tab and line breaks, nor
 * U+FFFE/U+FFFF; an unpaired surrogate is not a character and cannot be encoded as UTF-8; and an
 * explicit bidirectional embedding, override or isolate makes a word processor show the text in
 * a different order than the PDF forms, which draw it as typed. Refusing them here, naming the
 * field, is what keeps them from being dropped silently on the way to a filing. Right-to-left
 * and left-to-right marks (U+200E, U+200F, U+061C) and zero-width joiners stay allowed: they
 * change no order of their own and names need them.
 */

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
const SURROGATE = /\p{Cs}/u;

export interface ForbiddenCharacter {
  /** `U+0001` */
  codePoint: string;
  /** What it is, in words a person can act on. */
  reason: string;
}

function label(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

function isNoncharacter(cp: number): boolean {
  return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe;
}

/** The first character of `text` that no document can carry as typed, if any. */
export function findForbiddenCharacter(text: string): ForbiddenCharacter | undefined {
  for (const char of text) {
    const cp = char.codePointAt(0) ?? 0;
    if (CONTROL.test(char)) return { codePoint: label(cp), reason: 'a control character' };
    if (SURROGATE.test(char)) {
      return { codePoint: label(cp), reason: 'half of a character (an unpaired surrogate)' };
    }
    if (isNoncharacter(cp)) return { codePoint: label(cp), reason: 'not a character' };
    if (BIDI_CONTROL.test(char)) {
      return {
        codePoint: label(cp),
        reason:
          'a direction override that would show the text in another order on some documents (right-to-left and left-to-right marks are fine)',
      };
    }
  }
  return undefined;
}

/** The sentence a validation error uses, after the field's name. */
export function forbiddenCharacterMessage(found: ForbiddenCharacter): string {
  return `contains ${found.codePoint}, ${found.reason}, which a court document cannot show`;
}

export interface UnprintableCharacter {
  /** `U+1F600` */
  codePoint: string;
  /** The character itself, so a person sees which one to take out. */
  character: string;
}

/**
 * The first character of `text` that none of the fonts the court forms are printed with can
 * draw (an emoji newer than the emoji font, a script no installed font covers), if any.
 * Refusing it here, naming the field, keeps it from failing the packet after the facts were
 * accepted, or from being left out of a form.
 */
export function findUnprintableCharacter(text: string): UnprintableCharacter | undefined {
  const character = FontLibrary.shared().firstUndrawable(text);
  if (character === undefined) return undefined;
  return { codePoint: label(character.codePointAt(0) ?? 0), character };
}

/** The sentence a validation error uses, after the field's name. */
export function unprintableCharacterMessage(found: UnprintableCharacter): string {
  return `contains a character that cannot be printed on the court's forms: ${found.character} (${found.codePoint})`;
}
