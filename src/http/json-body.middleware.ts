import express, { type RequestHandler } from "express";

/** What body-parser (through http-errors) passes on for a request it cannot read. */
interface BodyReadError {
  readonly status: number;
  readonly type?: string;
  readonly message: string;
}

function isBodyReadError(error: unknown): error is BodyReadError {
  if (!(error instanceof Error)) {
    return false;
  }
  const status: unknown = (error as { status?: unknown }).status;
  return typeof status === "number" && status >= 400 && status < 500;
}

/**
 * `express.json` for /graphql, whose refusals answer as GraphQL errors (`BAD_REQUEST`, with
 * body-parser's status: 400, 413, 415) and are logged at info, instead of Express's HTML page
 * with a stack trace and a line on stderr. The message never quotes the body: a broken JSON
 * document may hold a password.
 */
export function jsonBody(options: { readonly limit: string }): RequestHandler {
  const parse = express.json({ limit: options.limit });
  const messageOf = (error: BodyReadError): string => {
    switch (error.type) {
      case "entity.parse.failed":
        return 'The request body is not a JSON object: send {"query": "…", "variables": {…}} with content-type application/json.';
      case "entity.too.large":
        return `The request body is larger than ${options.limit}.`;
      default:
        // body-parser's other messages name only the charset or encoding at fault.
        return error.message;
    }
  };
  return (req, res, next) => {
    parse(req, res, (error?: unknown) => {
      if (error === undefined) {
        next();
        return;
      }
      if (!isBodyReadError(error)) {
        next(error);
        return;
      }
      const message = messageOf(error);
      req.log.info({ code: "BAD_REQUEST", status: error.status, type: error.type }, message);
      res.status(error.status).json({ errors: [{ message, extensions: { code: "BAD_REQUEST" } }] });
    });
  };
}
