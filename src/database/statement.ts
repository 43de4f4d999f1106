/**
 * The parameters of one SQL statement, numbered as they are added. Pieces of a statement written by
 * different modules each add their own values and get their own placeholders, so no piece ever assumes
 * which numbers the others took.
 */
export class SqlParams {
  private readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder (`$n`, with `::cast` when given). */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }

  get list(): unknown[] {
    return this.values;
  }
}

/**
 * A piece of a larger statement that another module contributes: the body of one CTE (typically an
 * INSERT … SELECT). Its text must depend only on the shape of its values, never on the values themselves,
 * so that the whole statement's text repeats and can be prepared once per connection.
 */
export interface StatementPart {
  sql(params: SqlParams): string;
}
