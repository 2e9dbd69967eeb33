import type { MoneyWarning, SafeVariant } from '../utils/replay/money';
import { strings } from './strings';

export interface MoneyConfirmProps {
  warnings: MoneyWarning[];
  variants: SafeVariant[];
  onConfirm: () => void;
  onCancel: () => void;
  onUseVariant: (variant: SafeVariant) => void;
}

/** The confirm step before a replay that changes money, with the safer variants beside it. */
export function MoneyConfirm({ warnings, variants, onConfirm, onCancel, onUseVariant }: MoneyConfirmProps) {
  return (
    <section class="money card" role="alertdialog" aria-labelledby="money-title">
      <h3 id="money-title">{strings.moneyTitle}</h3>
      <ul>
        {warnings.map((w) => (
          <li key={w.code} class={`money-${w.level}`} data-code={w.code}>
            {w.message}
          </li>
        ))}
      </ul>
      {variants.length > 0 ? (
        <>
          <h4>{strings.safeVariants}</h4>
          <ul class="variants">
            {variants.map((v) => (
              <li key={v.id}>
                <strong>{v.label}</strong> — {v.explain}{' '}
                <button type="button" onClick={() => onUseVariant(v)}>
                  {strings.useVariant}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <div class="actions">
        <button type="button" class="danger" onClick={onConfirm}>
          {strings.moneyConfirm}
        </button>
        <button type="button" onClick={onCancel}>
          {strings.cancel}
        </button>
      </div>
    </section>
  );
}
