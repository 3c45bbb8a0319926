import type { ColumnDataType } from 'kysely';

type DataTypeExpression = ColumnDataType;
import type { DialectName } from './create-db.js';

/** Column types that differ between the two dialects; migrations use these and nothing else. */
export function columnTypes(dialect: DialectName): {
  json: DataTypeExpression;
  time: DataTypeExpression;
  bool: DataTypeExpression;
  serial: DataTypeExpression;
} {
  return dialect === 'postgres'
    ? { json: 'jsonb', time: 'timestamptz', bool: 'boolean', serial: 'serial' }
    : { json: 'text', time: 'text', bool: 'integer', serial: 'integer' };
}
