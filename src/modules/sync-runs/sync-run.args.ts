import { ArgsType } from "type-graphql";

import { ScopedPaginationArgs } from "../../graphql/pagination/pagination.args";

@ArgsType()
export class SyncRunsArgs extends ScopedPaginationArgs {}
