import type { Language, Localized } from './interview-definition';

/**
 * The engine's own words (validation messages, yes/no, list labels), in every interview language.
 * Each message names the question, so a screen reader user hears which answer needs fixing.
 */
const MESSAGES = {
  required: { en: 'Please answer "{label}".', es: 'Por favor conteste «{label}».' },
  tooLong: {
    en: '"{label}" can have at most {max} characters.',
    es: '«{label}» puede tener como máximo {max} caracteres.',
  },
  text: { en: '"{label}" must be written as text.', es: '«{label}» debe escribirse como texto.' },
  characters: {
    en: '"{label}" has a sign that cannot be printed on court papers ({codePoint}). Type it again without it.',
    es: '«{label}» tiene un signo que no se puede imprimir en los papeles de la corte ({codePoint}). Escríbalo de nuevo sin él.',
  },
  unprintable: {
    en: '"{label}" has a sign that cannot be printed on the court\'s forms: {character} ({codePoint}). Type it again without it.',
    es: '«{label}» tiene un signo que no se puede imprimir en los formularios de la corte: {character} ({codePoint}). Escríbalo de nuevo sin él.',
  },
  date: {
    en: '"{label}": write a date that exists, like 2024-03-15 (year-month-day).',
    es: '«{label}»: escriba una fecha que exista, como 2024-03-15 (año-mes-día).',
  },
  future: {
    en: '"{label}" cannot be a date in the future.',
    es: '«{label}» no puede ser una fecha en el futuro.',
  },
  yesNo: { en: '"{label}": choose Yes or No.', es: '«{label}»: elija Sí o No.' },
  number: {
    en: '"{label}": write a whole number from {min} to {max}.',
    es: '«{label}»: escriba un número entero de {min} a {max}.',
  },
  choice: {
    en: '"{label}": choose one of the options shown.',
    es: '«{label}»: elija una de las opciones que se muestran.',
  },
  street: {
    en: '"{label}": write the street and number, or the P.O. box.',
    es: '«{label}»: escriba la calle y el número, o el apartado postal.',
  },
  city: { en: '"{label}": write the city.', es: '«{label}»: escriba la ciudad.' },
  state: {
    en: '"{label}": write the state as two letters, like CA.',
    es: '«{label}»: escriba el estado con dos letras, como CA.',
  },
  postalCode: {
    en: '"{label}": write a ZIP code like 02108 or 02108-1234.',
    es: '«{label}»: escriba un código postal como 02108 o 02108-1234.',
  },
  phone: {
    en: '"{label}": write a phone number, like (555) 123-4567.',
    es: '«{label}»: escriba un número de teléfono, como (555) 123-4567.',
  },
  email: {
    en: '"{label}": write an email address, like name@example.com.',
    es: '«{label}»: escriba un correo electrónico, como nombre@ejemplo.com.',
  },
  notOnScreen: {
    en: '"{id}" is not a question on this screen.',
    es: '«{id}» no es una pregunta de esta pantalla.',
  },
  listMin: {
    en: 'Add at least {min} ({item}) before you continue.',
    es: 'Agregue al menos {min} ({item}) antes de continuar.',
  },
  listMax: {
    en: 'You can add at most {max} ({item}).',
    es: 'Puede agregar como máximo {max} ({item}).',
  },
  itemUnfinished: {
    en: '{item} {n} is not finished. Choose "Change" to finish it or "Remove" to delete it.',
    es: '{item} {n} no está terminado. Elija «Cambiar» para terminarlo o «Quitar» para borrarlo.',
  },
  noSuchItem: { en: 'There is no {item} {n}.', es: 'No hay {item} {n}.' },
  action: {
    en: 'This screen does not accept that action.',
    es: 'Esta pantalla no acepta esa acción.',
  },
  unfinished: {
    en: 'Some questions are not answered yet: "{title}".',
    es: 'Faltan preguntas por contestar: «{title}».',
  },
  fix: {
    en: 'Some answers need to be fixed.',
    es: 'Hay respuestas que se deben corregir.',
  },
  codeWordCount: {
    en: 'A resume code has {expected} words; this one has {n}.',
    es: 'Un código para continuar tiene {expected} palabras; este tiene {n}.',
  },
  codeWordUnknown: {
    en: 'Word {n} of the code is not one of the code words. Check how it is spelled.',
    es: 'La palabra {n} del código no es una de las palabras del código. Revise cómo se escribe.',
  },
  codeWordsUnknown: {
    en: 'Words {list} and {last} of the code are not code words. Check how they are spelled.',
    es: 'Las palabras {list} y {last} del código no son palabras del código. Revise cómo se escriben.',
  },
  codeOpensNothing: {
    en: 'This code does not open a saved interview. Check each word and try again.',
    es: 'Este código no abre ninguna entrevista guardada. Revise cada palabra e inténtelo de nuevo.',
  },
  tooManyAttempts: {
    en: 'Too many tries. Wait {minutes} minute(s), then try again.',
    es: 'Demasiados intentos. Espere {minutes} minuto(s) y vuelva a intentarlo.',
  },
  busy: {
    en: 'The service is busy. Wait a few seconds, then try again.',
    es: 'El servicio está ocupado. Espere unos segundos y vuelva a intentarlo.',
  },
  locked: {
    en: 'Your interview was locked to protect your answers. Enter your resume code to continue.',
    es: 'Su entrevista se bloqueó para proteger sus respuestas. Escriba su código para continuar.',
  },
  packetNotMerged: {
    en: 'Your forms were made, but they could not be joined into one file right now.',
    es: 'Sus formularios se prepararon, pero ahora no se pudieron unir en un solo archivo.',
  },
  shareNeedsFinish: {
    en: 'Make your papers first. Then you can share them with your advocate.',
    es: 'Primero prepare sus documentos. Después puede compartirlos con su defensor.',
  },
  yes: { en: 'Yes', es: 'Sí' },
  no: { en: 'No', es: 'No' },
  none: { en: 'None', es: 'Ninguno' },
  review: { en: 'Check your answers', es: 'Revise sus respuestas' },
} satisfies Record<string, Localized>;

export type MessageKey = keyof typeof MESSAGES;

/**
 * `text` in `lang` with `{name}` placeholders filled in; a placeholder without a value stays as
 * written, so a missing value shows in the text instead of vanishing from it.
 */
export function localize(
  text: Localized,
  lang: Language,
  values: Record<string, string | number> = {},
): string {
  return text[lang].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

/** The message in `lang` with `{name}` placeholders filled in. */
export function message(
  key: MessageKey,
  lang: Language,
  values: Record<string, string | number> = {},
): string {
  return localize(MESSAGES[key], lang, values);
}
