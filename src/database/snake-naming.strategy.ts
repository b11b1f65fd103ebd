import { DefaultNamingStrategy, type NamingStrategyInterface } from "typeorm";

/** camelCase property → snake_case column; the read plans name columns with it too. */
export const snakeCase = (name: string): string =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();

/** snake_case columns, so hand-written SQL (reports, psql) reads naturally on both databases. */
export class SnakeNamingStrategy extends DefaultNamingStrategy implements NamingStrategyInterface {
  override columnName(
    propertyName: string,
    customName: string | undefined,
    prefixes: string[],
  ): string {
    return snakeCase([...prefixes, customName ?? propertyName].join("_"));
  }
}
