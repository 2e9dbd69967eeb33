import type { FieldErrors, SettingsField, SettingsForm } from '../utils/panel/settings-form';
import { strings } from './strings';

export interface OptionsFormProps {
  form: SettingsForm;
  errors: FieldErrors;
  saved: boolean;
  onChange: (field: SettingsField, value: string) => void;
  onSave: () => void;
}

interface FieldSpec {
  field: SettingsField;
  label: string;
  hint?: string;
  multiline?: boolean;
  type?: 'text' | 'url' | 'number';
}

const MAIN: FieldSpec[] = [
  { field: 'trackerUrl', label: strings.trackerUrl, hint: strings.trackerUrlHint, type: 'url' },
  { field: 'postbackKey', label: strings.postbackKey, hint: strings.postbackKeyHint },
  { field: 'hasoffersDomain', label: strings.hasoffersDomain, hint: strings.hasoffersDomainHint },
  { field: 'offerIds', label: strings.offerIds, hint: strings.offerIdsHint },
  {
    field: 'captureDisabledSites',
    label: strings.captureDisabledSites,
    hint: strings.captureDisabledSitesHint,
    multiline: true,
  },
];
const CAPS: FieldSpec[] = [
  { field: 'requestsPerTab', label: strings.capRequests, type: 'number' },
  { field: 'observationsPerTab', label: strings.capObservations, type: 'number' },
  { field: 'recentSessions', label: strings.capRecent, type: 'number' },
  { field: 'replaysPerSession', label: strings.capReplays, type: 'number' },
];

/** The options page: every field with its error next to it; saving is the container's business. */
export function OptionsForm({ form, errors, saved, onChange, onSave }: OptionsFormProps) {
  const hasErrors = Object.keys(errors).length > 0;
  const field = (f: FieldSpec) => {
    const id = `o-${f.field}`;
    const error = errors[f.field];
    const common = {
      id,
      value: form[f.field],
      'aria-invalid': !!error,
      'aria-describedby': `${id}-hint${error ? ` ${id}-error` : ''}`,
      onInput: (e: Event) => onChange(f.field, (e.currentTarget as HTMLInputElement).value),
    };
    return (
      <div class="field" key={f.field}>
        <label for={id}>{f.label}</label>
        {f.multiline ? (
          <textarea rows={4} {...common} />
        ) : (
          <input
            type="text"
            inputMode={f.type === 'number' ? 'numeric' : f.type === 'url' ? 'url' : 'text'}
            spellcheck={false}
            {...common}
          />
        )}
        {f.hint ? (
          <span class="hint" id={`${id}-hint`}>
            {f.hint}
          </span>
        ) : null}
        {error ? (
          <span class="field-error" id={`${id}-error`} role="alert">
            {error}
          </span>
        ) : null}
      </div>
    );
  };
  return (
    <form
      class="options"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSave();
      }}
    >
      <h1>{strings.optionsTitle}</h1>
      {hasErrors ? (
        <p class="notice" role="alert">
          {strings.fixErrors}
        </p>
      ) : null}
      {MAIN.map(field)}
      <fieldset>
        <legend>{strings.caps}</legend>
        {CAPS.map(field)}
      </fieldset>
      <div class="actions">
        <button type="submit" class="primary">
          {strings.save}
        </button>
        {saved && !hasErrors ? <span role="status">{strings.saved}</span> : null}
      </div>
    </form>
  );
}
