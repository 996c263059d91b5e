/**
 * pdf.js wants DOMMatrix and Path2D for drawing pages and, without the optional `canvas`
 * package, warns on every start that "rendering may be broken". The leak check only reads text,
 * fields and metadata and never draws, so inert stand-ins keep the logs quiet and honest.
 */
const globals = globalThis as Record<string, unknown>;
class Inert {}
globals.DOMMatrix ??= Inert;
globals.Path2D ??= Inert;

export {};
