/**
 * @module condition/ast — the typed tree the grammar produces.
 *
 * The shapes are built by grammar/condition.peggy; they carry source locations so
 * that later stages (configuration checks) can point at the operand.
 */

/** A position range in the condition text, as peggy's `location()` gives it. */
export interface SourceLocation {
  start: { offset: number; line: number; column: number };
  end: { offset: number; line: number; column: number };
}

/** Every operator as written; `==` is normalised to `=` by the compiler. */
export type WrittenOperator = '>>' | '<<' | '>=' | '<=' | '!=' | '==' | '>' | '<' | '=';

/** The comparison an operator performs once `>>`, `<<` and `==` are unfolded. */
export type Comparison = '>' | '<' | '>=' | '<=' | '=' | '!=';

export interface OperandNode {
  type: 'operand';
  /** `++` is a rise, `--` a fall; null when absent. */
  delta: 'rise' | 'fall' | null;
  /** Explicit sign; null when absent (then the comparison is on absolute values). */
  sign: '+' | '-' | null;
  /** Magnitude with the suffix applied, always >= 0 and finite. */
  value: number;
  suffix: 'k' | 'K' | 'M' | 'B' | null;
  percent: boolean;
  /** The operand exactly as written. */
  text: string;
  location: SourceLocation;
}

export interface ConditionNode {
  type: 'condition';
  op: WrittenOperator;
  operand: OperandNode;
  location: SourceLocation;
}
