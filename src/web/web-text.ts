import type { Language, Localized } from '../interview/interview-definition';
import { localize } from '../interview/interview-messages';

/**
 * Every word the pages themselves say (the questions come from the interview definitions), in
 * every interview language. Spanish uses "usted" and the same words the interview uses
 * (demandado, notificar, alguacil), so the petitioner meets one vocabulary throughout.
 */
const TEXT = {
  siteName: { en: 'Court forms helper', es: 'Ayuda con formularios judiciales' },
  quickExit: { en: 'Leave this site now', es: 'Salir rápido de este sitio' },
  quickExitNote: {
    en: 'Leaving quickly does not erase your browser history or stop monitoring software.',
    es: 'Salir rápido no borra el historial del navegador ni detiene los programas que vigilan este aparato.',
  },
  safetyTips: { en: 'Safety tips', es: 'Consejos de seguridad' },
  skipToMain: { en: 'Skip to main content', es: 'Saltar al contenido principal' },
  language: { en: 'Language', es: 'Idioma' },
  lockNow: { en: 'Lock my answers', es: 'Bloquear mis respuestas' },
  lockHint: {
    en: 'Locks this page now. Your code opens your answers again.',
    es: 'Bloquea esta página ahora. Su código vuelve a abrir sus respuestas.',
  },
  stepOf: { en: 'Step {n} of {total}', es: 'Paso {n} de {total}' },
  reviewStep: { en: 'Last step: review', es: 'Último paso: revisar' },
  errorPrefix: { en: 'Error:', es: 'Error:' },
  errorSummaryTitle: { en: 'There is a problem', es: 'Hay un problema' },
  termsTitle: { en: 'Words on this page', es: 'Palabras de esta página' },
  continue: { en: 'Continue', es: 'Continuar' },
  back: { en: 'Back', es: 'Atrás' },
  yes: { en: 'Yes', es: 'Sí' },
  no: { en: 'No', es: 'No' },

  // welcome
  welcomeHeading: { en: 'Get your court papers ready', es: 'Prepare sus papeles para la corte' },
  welcomeWhat: {
    en: 'This helper asks you simple questions and fills in the court forms to ask a judge for a protection order.',
    es: 'Esta ayuda le hace preguntas sencillas y llena los formularios para pedirle a un juez una orden de protección.',
  },
  welcomeHow: {
    en: 'It never contacts the other person and never sends you email or text messages; you can stop at any time and come back with a code.',
    es: 'Nunca se comunica con la otra persona ni le envía correos o mensajes de texto; puede parar cuando quiera y volver con un código.',
  },
  welcomeSafety: {
    en: 'If someone else may look at this device, read the safety tips first.',
    es: 'Si otra persona puede revisar este aparato, lea primero los consejos de seguridad.',
  },
  whereFile: { en: 'Where will you file?', es: '¿Dónde va a presentar sus papeles?' },
  whereFileHint: {
    en: 'Choose the state where the court is.',
    es: 'Elija el estado donde está la corte.',
  },
  packGeneric: {
    en: 'Another state: a general petition',
    es: 'Otro estado: una petición general',
  },
  packGenericOnly: {
    en: 'Any state: a general petition',
    es: 'Cualquier estado: una petición general',
  },
  packGenericOnlyHint: {
    en: 'Ask the court clerk whether they accept it.',
    es: 'Pregunte en la secretaría de la corte si la aceptan.',
  },
  packGenericHint: {
    en: 'If your state is not listed. Ask the court clerk whether they accept it.',
    es: 'Si su estado no aparece. Pregunte en la secretaría de la corte si la aceptan.',
  },
  chooseWhere: {
    en: 'Choose where you will file.',
    es: 'Elija dónde va a presentar sus papeles.',
  },
  start: { en: 'Start', es: 'Empezar' },
  continueWithCode: { en: 'Continue with my code', es: 'Continuar con mi código' },
  openOnDevice: {
    en: 'You have answers open on this device.',
    es: 'Tiene respuestas abiertas en este aparato.',
  },
  backToAnswers: { en: 'Go back to my answers', es: 'Volver a mis respuestas' },
  startReplaces: {
    en: 'Starting again locks the answers that are open now. Their code still opens them.',
    es: 'Si empieza de nuevo, se bloquean las respuestas abiertas ahora. Su código todavía las abre.',
  },

  // code
  codeHeading: { en: 'Write down your code', es: 'Escriba su código' },
  codeIntro: {
    en: 'These {n} words are your code. Write them on paper, in this order.',
    es: 'Estas {n} palabras son su código. Escríbalas en un papel, en este orden.',
  },
  codeOneLine: { en: 'The same code on one line:', es: 'El mismo código en una línea:' },
  codeOnlyWay: {
    en: 'Your code is the only way back to your answers. We do not keep a copy, so we cannot recover it or send it to you.',
    es: 'Su código es la única manera de volver a sus respuestas. No guardamos una copia, así que no podemos recuperarlo ni enviárselo.',
  },
  codeKeepHeading: { en: 'Keep it safe', es: 'Guárdelo en un lugar seguro' },
  codeKeepPlace: {
    en: 'Keep the paper somewhere the other person will not look, or give it to someone you trust.',
    es: 'Guarde el papel donde la otra persona no lo vaya a buscar, o déselo a alguien de confianza.',
  },
  codeKeepPhoto: {
    en: 'Do not take a photo or a screenshot of it if someone else can see the pictures on this phone.',
    es: 'No le tome foto ni captura de pantalla si otra persona puede ver las fotos de este teléfono.',
  },
  codeKeepAnyone: {
    en: 'Anyone who has the code can open your answers.',
    es: 'Cualquier persona que tenga el código puede abrir sus respuestas.',
  },
  codeKeepDays: {
    en: 'Your answers are deleted {days} days after your last change.',
    es: 'Sus respuestas se borran {days} días después de su último cambio.',
  },
  codeWroteIt: { en: 'I wrote it down', es: 'Ya lo escribí' },
  codeShownOnce: {
    en: 'For your safety, the code is shown only once, when you start.',
    es: 'Por su seguridad, el código se muestra una sola vez, al empezar.',
  },
  codeLost: {
    en: 'If you did not write it down, you can delete these answers and start again.',
    es: 'Si no lo escribió, puede borrar estas respuestas y empezar de nuevo.',
  },
  toQuestions: { en: 'Go to the questions', es: 'Ir a las preguntas' },

  // step
  condYes: {
    en: 'Answer this only if you answered Yes to "{label}".',
    es: 'Conteste esto solo si respondió Sí a «{label}».',
  },
  condNo: {
    en: 'Answer this only if you answered No to "{label}".',
    es: 'Conteste esto solo si respondió No a «{label}».',
  },
  condChose: {
    en: 'Answer this only if you chose "{option}" for "{label}".',
    es: 'Conteste esto solo si eligió «{option}» en «{label}».',
  },
  condNotChose: {
    en: 'Answer this only if you did not choose "{option}" for "{label}".',
    es: 'Conteste esto solo si no eligió «{option}» en «{label}».',
  },
  condEmpty: {
    en: 'Answer this only if you left "{label}" empty.',
    es: 'Conteste esto solo si dejó «{label}» en blanco.',
  },
  condAnswered: {
    en: 'Answer this only if you answered "{label}".',
    es: 'Conteste esto solo si respondió «{label}».',
  },
  condApplies: {
    en: 'Answer this only if it applies to you.',
    es: 'Conteste esto solo si le corresponde.',
  },
  dateHint: { en: 'For example, 2024-03-15.', es: 'Por ejemplo, 2024-03-15.' },
  street: { en: 'Street and number, or P.O. box', es: 'Calle y número, o apartado postal' },
  unit: { en: 'Apartment or unit (optional)', es: 'Apartamento o unidad (opcional)' },
  city: { en: 'City', es: 'Ciudad' },
  state: { en: 'State (two letters, like CA)', es: 'Estado (dos letras, como CA)' },
  postalCode: { en: 'ZIP code', es: 'Código postal' },
  listNone: { en: 'You have not added any yet.', es: 'Todavía no ha agregado ninguno.' },
  listAdded: { en: 'You added:', es: 'Usted agregó:' },
  itemNumber: { en: '{item} {n}', es: '{item} {n}' },
  change: { en: 'Change', es: 'Cambiar' },
  remove: { en: 'Remove', es: 'Quitar' },
  addItem: { en: 'Add {item}', es: 'Agregar {item}' },
  listDone: { en: 'No more, continue', es: 'No hay más, continuar' },
  removeHeading: { en: 'Remove {item} {n}?', es: '¿Quitar {item} {n}?' },
  removeText: {
    en: 'This deletes what you wrote about it. You cannot undo this.',
    es: 'Esto borra lo que escribió sobre esto. No se puede deshacer.',
  },
  removeYes: { en: 'Yes, remove it', es: 'Sí, quitarlo' },
  removeNo: { en: 'No, keep it', es: 'No, conservarlo' },

  // review
  reviewIntro: {
    en: 'Read your answers. To fix one, choose "Change". When everything is right, choose "Make my papers".',
    es: 'Lea sus respuestas. Para corregir una, elija «Cambiar». Cuando todo esté bien, elija «Preparar mis papeles».',
  },
  makePapers: { en: 'Make my papers', es: 'Preparar mis papeles' },
  papersOutdated: {
    en: 'You changed answers after your papers were made. Choose "Make my papers" to update them.',
    es: 'Usted cambió respuestas después de preparar sus papeles. Elija «Preparar mis papeles» para actualizarlos.',
  },
  makePapersWait: {
    en: 'This can take a minute. Please wait after you press the button.',
    es: 'Esto puede tardar un minuto. Espere después de oprimir el botón.',
  },
  goToQuestion: { en: 'Go to this question', es: 'Ir a esta pregunta' },
  notFinished: {
    en: 'Some questions still need an answer.',
    es: 'Todavía faltan preguntas por contestar.',
  },

  // done
  doneHeading: { en: 'Your papers are ready', es: 'Sus papeles están listos' },
  download: { en: 'Download my papers (PDF)', es: 'Descargar mis papeles (PDF)' },
  downloadNote: {
    en: 'The file is called court-forms.pdf and goes to the Downloads folder of this device. If someone else uses this device, print it soon, then delete the file and empty the trash.',
    es: 'El archivo se llama court-forms.pdf y se guarda en la carpeta de descargas de este aparato. Si otra persona usa este aparato, imprímalo pronto y luego borre el archivo y vacíe la papelera.',
  },
  nextHeading: { en: 'What happens next', es: 'Qué sigue' },
  nextFileHeading: { en: '1. File your papers', es: '1. Presente sus papeles' },
  nextFile: {
    en: "Print the papers and take them to the clerk's office of the court you chose. Tell the clerk you want to file them today. In most courts it costs nothing to file. If you need an interpreter, ask the clerk for one.",
    es: 'Imprima los papeles y llévelos a la secretaría de la corte que eligió. Diga que quiere presentarlos hoy. En la mayoría de las cortes no cuesta nada presentarlos. Si necesita intérprete, pídalo en la secretaría.',
  },
  nextJudgeHeading: { en: '2. A judge reads them', es: '2. Un juez los lee' },
  nextJudge: {
    en: 'A judge may read your papers the same day and may give you a temporary order right away. The clerk gives you copies of what the judge signs. Keep a copy with you.',
    es: 'Es posible que un juez lea sus papeles el mismo día y le dé una orden temporal enseguida. En la secretaría le dan copias de lo que firme el juez. Lleve siempre una copia con usted.',
  },
  nextServeHeading: {
    en: '3. An officer gives the papers to the respondent',
    es: '3. Un oficial le entrega los papeles al demandado',
  },
  nextServe: {
    en: 'The sheriff or the police give the papers to the respondent. This is called "service", and it is free. You never have to hand papers to the respondent yourself, and you should not try. The clerk can tell you how to ask for service.',
    es: 'Un alguacil (sheriff) o la policía le entregan los papeles al demandado. Esto se llama «notificar» y es gratis. Usted nunca tiene que entregarle papeles al demandado, y no debe intentarlo. En la secretaría le explican cómo pedir la notificación.',
  },
  nextHearingHeading: { en: '4. The hearing', es: '4. La audiencia' },
  nextHearing: {
    en: 'The court sets a hearing date, often within a few weeks. At the hearing, the judge listens to you and to the respondent, then decides whether to give a longer order. Bring your papers and anything that shows what happened, such as photos, messages or police reports. You can bring someone for support. If you are afraid to wait near the respondent, tell the court staff.',
    es: 'La corte fija una fecha de audiencia, muchas veces dentro de pocas semanas. En la audiencia, el juez le escucha a usted y al demandado, y después decide si da una orden más larga. Lleve sus papeles y lo que muestre lo que pasó, como fotos, mensajes o reportes de la policía. Puede llevar a alguien que le apoye. Si le da miedo esperar cerca del demandado, dígaselo al personal de la corte.',
  },
  nextHelpHeading: { en: 'Help is free', es: 'La ayuda es gratis' },
  nextHelp: {
    en: 'An advocate can go to court with you. Call the National Domestic Violence Hotline at 1-800-799-7233, or text START to 88788, to find one near you.',
    es: 'Una persona de apoyo puede acompañarle a la corte. Llame a la Línea Nacional sobre la Violencia Doméstica al 1-800-799-7233, o envíe START por mensaje de texto al 88788, para encontrar a alguien cerca de usted.',
  },
  changeAnswer: { en: 'Change an answer', es: 'Cambiar una respuesta' },
  changeAgain: {
    en: 'If you change an answer, choose "Make my papers" again to get new papers.',
    es: 'Si cambia una respuesta, elija «Preparar mis papeles» otra vez para tener papeles nuevos.',
  },
  deleteAnswers: { en: 'Delete my answers', es: 'Borrar mis respuestas' },
  shareLink: { en: 'Share with my advocate', es: 'Compartir con mi defensor' },
  shareHeading: {
    en: 'Share your papers with an advocate',
    es: 'Comparta sus documentos con un defensor',
  },
  shareText: {
    en: 'An advocate or lawyer can see your papers only if you give them a share code. Nobody else can use it.',
    es: 'Un defensor o abogado puede ver sus documentos solo si usted le da un código para compartir. Nadie más puede usarlo.',
  },
  shareMake: { en: 'Make a share code', es: 'Crear un código para compartir' },
  shareCodeHeading: { en: 'Your share code', es: 'Su código para compartir' },
  shareCodeText: {
    en: 'Give this code to your advocate. It works once, until {date}.',
    es: 'Dé este código a su defensor. Sirve una sola vez, hasta el {date}.',
  },
  shareStatusNone: {
    en: 'No organisation can see your papers now.',
    es: 'Ahora ninguna organización puede ver sus documentos.',
  },
  shareStatusSome: {
    en: 'Organisations that can see your papers now: {n}.',
    es: 'Organizaciones que ahora pueden ver sus documentos: {n}.',
  },
  shareStop: { en: 'Stop sharing', es: 'Dejar de compartir' },
  shareStopText: {
    en: 'This takes your papers away from every organisation and cancels every unused code.',
    es: 'Esto quita sus documentos a todas las organizaciones y anula todos los códigos sin usar.',
  },
  shareStopped: {
    en: 'Nobody can see your papers through a share code now.',
    es: 'Ahora nadie puede ver sus documentos con un código para compartir.',
  },
  shareBack: { en: 'Back to my papers', es: 'Volver a mis documentos' },

  // delete
  deleteHeading: { en: 'Delete your answers?', es: '¿Borrar sus respuestas?' },
  deleteText: {
    en: 'This deletes your answers and the papers we made, right away. No one can get them back, not even with the code.',
    es: 'Esto borra sus respuestas y los papeles que preparamos, de inmediato. Nadie podrá recuperarlos, ni siquiera con el código.',
  },
  deleteDownloaded: {
    en: 'Files you already downloaded stay on this device. Delete them yourself if you need to.',
    es: 'Los archivos que ya descargó se quedan en este aparato. Bórrelos usted si hace falta.',
  },
  deleteYes: { en: 'Yes, delete my answers', es: 'Sí, borrar mis respuestas' },
  deleteNo: { en: 'No, keep my answers', es: 'No, conservar mis respuestas' },
  deleteNothingOpen: {
    en: 'No answers are open on this device. To delete saved answers, first open them with your code.',
    es: 'No hay respuestas abiertas en este aparato. Para borrar respuestas guardadas, primero ábralas con su código.',
  },
  deletedHeading: {
    en: 'Your answers and papers were deleted',
    es: 'Sus respuestas y papeles fueron borrados',
  },
  deletedText: {
    en: 'We keep nothing from your answers. Files you downloaded are still on this device.',
    es: 'No guardamos nada de sus respuestas. Los archivos que descargó siguen en este aparato.',
  },
  startAgain: { en: 'Start again', es: 'Empezar de nuevo' },

  // resume and locked
  codeLabel: { en: 'Your code', es: 'Su código' },
  codeHint: {
    en: 'The words you wrote down, in order, with a space between them.',
    es: 'Las palabras que escribió, en orden, con un espacio entre cada una.',
  },
  codeWrong: {
    en: 'That code did not open any answers. Check each word and try again.',
    es: 'Ese código no abrió ninguna respuesta. Revise cada palabra y vuelva a intentarlo.',
  },
  codeEmpty: { en: 'Write your code.', es: 'Escriba su código.' },
  tooManyTries: {
    en: 'Too many tries. For your safety, wait {wait} and try again.',
    es: 'Demasiados intentos. Por su seguridad, espere {wait} y vuelva a intentarlo.',
  },
  minute: { en: '1 minute', es: '1 minuto' },
  minutes: { en: '{n} minutes', es: '{n} minutos' },
  codeNoRecovery: {
    en: 'If you lost your code, no one can open those answers. You can start again.',
    es: 'Si perdió su código, nadie puede abrir esas respuestas. Puede empezar de nuevo.',
  },
  lockedHeading: {
    en: 'This page was locked to protect your answers',
    es: 'Esta página se bloqueó para proteger sus respuestas',
  },
  lockedText: {
    en: 'To keep going, write your code.',
    es: 'Para continuar, escriba su código.',
  },

  // safety
  safetyHeading: { en: 'Staying safer', es: 'Cómo protegerse' },
  safetyDangerHeading: { en: 'If you are in danger', es: 'Si está en peligro' },
  safetyDanger: { en: 'Call 911.', es: 'Llame al 911.' },
  safetyHotline: {
    en: 'National Domestic Violence Hotline: 1-800-799-7233 (TTY 1-800-787-3224), or text START to 88788. Free, private, any time, in English and Spanish. Website: www.thehotline.org',
    es: 'Línea Nacional sobre la Violencia Doméstica: 1-800-799-7233 (TTY 1-800-787-3224), o envíe START por mensaje de texto al 88788. Gratis, confidencial, a cualquier hora, en español y en inglés. Sitio web: www.thehotline.org',
  },
  safetyDeviceHeading: {
    en: 'If someone may check this device',
    es: 'Si alguien puede revisar este aparato',
  },
  safetySaferDevice: {
    en: 'The safest choice is a device the other person never uses: a computer at a public library, or the phone of a friend you trust.',
    es: 'Lo más seguro es usar un aparato que la otra persona nunca use: una computadora de una biblioteca pública o el teléfono de una amistad de confianza.',
  },
  safetyPrivate: {
    en: 'Private browsing ("Incognito" in Chrome, "Private" in Safari and Firefox) does not keep this site in your history after you close the window. Close every private window when you finish.',
    es: 'La navegación privada («Incógnito» en Chrome, «Privada» en Safari y Firefox) no guarda este sitio en el historial después de cerrar la ventana. Cierre todas las ventanas privadas al terminar.',
  },
  safetyHistory: {
    en: 'If you did not use private browsing, you can delete this site from your history: open the browser menu, choose History, and delete the pages of this site. Deleting all of your history can look unusual to someone who checks, so deleting only these pages may be safer.',
    es: 'Si no usó la navegación privada, puede borrar este sitio del historial: abra el menú del navegador, elija Historial y borre las páginas de este sitio. Borrar todo el historial puede llamar la atención de quien lo revise, así que borrar solo estas páginas puede ser más seguro.',
  },
  safetyDownloads: {
    en: 'Papers you download stay in the Downloads folder. Print them, then delete the file and empty the trash.',
    es: 'Los papeles que descargue se quedan en la carpeta de descargas. Imprímalos y luego borre el archivo y vacíe la papelera.',
  },
  safetyMonitoring: {
    en: 'Some programs ("stalkerware") can record everything done on a phone or computer. If you think your device is watched, use another one. The quick exit cannot stop these programs.',
    es: 'Algunos programas espía pueden grabar todo lo que se hace en un teléfono o computadora. Si cree que vigilan su aparato, use otro. La salida rápida no puede detener estos programas.',
  },
  safetyQuickExit: {
    en: 'The "Leave this site now" button, or the Esc key, takes you to another site right away. It does not erase your history.',
    es: 'El botón «Salir rápido de este sitio», o la tecla Esc, le lleva a otro sitio de inmediato. No borra el historial.',
  },
  safetyIdle: {
    en: 'Your answers lock after {minutes} minutes without activity. Your code opens them again.',
    es: 'Sus respuestas se bloquean después de {minutes} minutos sin actividad. Su código las vuelve a abrir.',
  },
  safetyCode: {
    en: 'Do not save your code in this browser, in notes, or in photos on a device others can see.',
    es: 'No guarde su código en este navegador, en notas ni en fotos de un aparato que otras personas puedan ver.',
  },
  safetyNoContact: {
    en: 'This helper never contacts the respondent and never sends you email or text messages.',
    es: 'Esta ayuda nunca se comunica con el demandado y nunca le envía correos ni mensajes de texto.',
  },

  // errors
  notFoundHeading: { en: 'Page not found', es: 'No se encontró la página' },
  errorHeading: { en: 'Something went wrong', es: 'Algo salió mal' },
  errorText: {
    en: 'The answers you already saved are not lost. Please go back and try again.',
    es: 'Las respuestas que ya guardó no se perdieron. Vuelva atrás e inténtelo otra vez.',
  },
  expiredHeading: { en: 'This page has expired', es: 'Esta página ya no es válida' },
  expiredText: {
    en: 'For your safety, this form can no longer be sent. Please open the page again and repeat what you did.',
    es: 'Por su seguridad, este formulario ya no se puede enviar. Abra la página otra vez y repita lo que hizo.',
  },
  tooLargeHeading: { en: 'That was too much at once', es: 'Eso fue demasiado de una vez' },
  tooLargeText: {
    en: 'Please make your answer shorter and try again.',
    es: 'Por favor acorte su respuesta y vuelva a intentarlo.',
  },
  goToStart: { en: 'Go to the start', es: 'Ir al inicio' },
} satisfies Record<string, Localized>;

export type TextKey = keyof typeof TEXT;

/** The page text in `lang`, with `{name}` placeholders filled in. */
export function t(
  lang: Language,
  key: TextKey,
  values: Record<string, string | number> = {},
): string {
  return localize(TEXT[key], lang, values);
}

/** "5 minutes" / "5 minutos", rounded up: a wait is never shorter than it says. */
export function waitText(lang: Language, seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return minutes === 1 ? t(lang, 'minute') : t(lang, 'minutes', { n: minutes });
}

/** Every key, for the test that proves each one has non-empty text in every language. */
export const TEXT_KEYS = Object.keys(TEXT) as TextKey[];

export function textFor(key: TextKey): Localized {
  return TEXT[key];
}
