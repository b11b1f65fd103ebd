import { registerEnumType } from "type-graphql";

export enum SortDirectionEnum {
  ASC = "ASC",
  DESC = "DESC",
}

registerEnumType(SortDirectionEnum, { name: "SortDirection" });
