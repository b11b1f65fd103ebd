/* eslint-disable @typescript-eslint/no-require-imports -- class-validator's own modules, see below */
import type * as ClassValidator from "class-validator";
import { ArgumentValidationError } from "type-graphql";

/**
 * The class-validator decorators the inputs and args use, and the check type-graphql runs with
 * them. class-validator's index loads every one of its decorators and with them all of
 * `validator` and libphonenumber-js's metadata (about 9 MB of RSS, for IsPhoneNumber and the like,
 * which nothing here uses); its per-decorator modules load only what each needs. They register in
 * class-validator's global metadata storage, the one its Validator reads. A decorator not listed
 * here is added the same way (class-validator/cjs/decorator/<group>/<Name>).
 */

export const { ArrayMaxSize } = require("class-validator/cjs/decorator/array/ArrayMaxSize") as Pick<
  typeof ClassValidator,
  "ArrayMaxSize"
>;
export const { IsOptional } = require("class-validator/cjs/decorator/common/IsOptional") as Pick<
  typeof ClassValidator,
  "IsOptional"
>;
export const { IsUUID } = require("class-validator/cjs/decorator/string/IsUUID") as Pick<
  typeof ClassValidator,
  "IsUUID"
>;
export const { Max } = require("class-validator/cjs/decorator/number/Max") as Pick<
  typeof ClassValidator,
  "Max"
>;
export const { MaxLength } = require("class-validator/cjs/decorator/string/MaxLength") as Pick<
  typeof ClassValidator,
  "MaxLength"
>;
export const { Min } = require("class-validator/cjs/decorator/number/Min") as Pick<
  typeof ClassValidator,
  "Min"
>;

/** The options type-graphql's built-in check uses (validate-arg.js, `forbidUnknownValues: false`). */
const OPTIONS: ClassValidator.ValidatorOptions = {
  skipMissingProperties: true,
  forbidUnknownValues: false,
};

let validator: ClassValidator.Validator | null = null;

/**
 * buildSchema's `validateFn`: what type-graphql's built-in check (`validate`) does, with the same
 * options and error, through the Validator module instead of `import("class-validator")`.
 * Scalars pass; a list is checked item by item. A global validateFn replaces an argument's
 * `validate: false`: such an argument says `validateFn: skipArgumentValidation` instead.
 */
export async function validateArguments(value: unknown): Promise<void> {
  if (!isObject(value)) {
    return;
  }
  validator ??= createValidator();
  const check = validator;
  try {
    if (Array.isArray(value)) {
      await Promise.all(
        value.filter(isObject).map((item: object) => check.validateOrReject(item, OPTIONS)),
      );
    } else {
      await check.validateOrReject(value, OPTIONS);
    }
  } catch (error) {
    throw new ArgumentValidationError(error as ClassValidator.ValidationError[]);
  }
}

/** An argument's `validateFn` for arguments checked by hand (it replaces `validate: false`). */
export function skipArgumentValidation(): void {}

function isObject(value: unknown): value is object {
  return value !== null && typeof value === "object";
}

function createValidator(): ClassValidator.Validator {
  const { Validator } = require("class-validator/cjs/validation/Validator") as Pick<
    typeof ClassValidator,
    "Validator"
  >;
  const { getFromContainer } = require("class-validator/cjs/container") as Pick<
    typeof ClassValidator,
    "getFromContainer"
  >;
  return getFromContainer(Validator);
}
