import { type DecodedParam, groupParams } from '../utils/panel/params';
import { strings } from './strings';

export interface ParamTableProps {
  params: DecodedParam[];
  /** Values equal to this (the search query, a trail id) are marked. */
  highlight?: string;
}

/** Decoded params grouped by meaning: click id, status, money, sub ids, other, unknown. */
export function ParamTable({ params, highlight }: ParamTableProps) {
  if (params.length === 0) return <p class="muted">{strings.noParams}</p>;
  const h = highlight?.trim().toLowerCase();
  return (
    <div class="params">
      {groupParams(params).map((g) => (
        <table key={g.group} class={`param-group pg-${g.group}`}>
          <caption>{strings.groups[g.group] ?? g.group}</caption>
          <tbody>
            {g.params.map((p, i) => (
              <tr
                key={`${p.source}${i}${p.name}`}
                class={`${p.macro ? 'macro' : ''}${h && (p.value.toLowerCase().includes(h) || p.name.toLowerCase().includes(h)) ? ' hit' : ''}`}
              >
                <th scope="row">
                  <code>{p.name}</code>
                  {p.source === 'body' ? <span class="muted"> ({strings.body.toLowerCase()})</span> : null}
                </th>
                <td>
                  <code class="value">{p.value}</code>
                  {p.macro ? <span class="badge sev-error">{strings.macroId}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
  );
}
