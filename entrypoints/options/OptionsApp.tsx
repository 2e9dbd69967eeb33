import { useEffect, useState } from 'preact/hooks';
import { OptionsForm } from '../../components/OptionsForm';
import { strings } from '../../components/strings';
import { type FieldErrors, fromForm, type SettingsForm, toForm } from '../../utils/panel/settings-form';
import { DEFAULT_SETTINGS, type Settings } from '../../utils/settings';

export interface OptionsAppProps {
  load: () => Promise<Settings>;
  save: (settings: Settings) => Promise<void>;
}

/** Thin container: loads settings, validates on save with SettingsSchema, writes `settingsItem`. */
export function OptionsApp({ load, save }: OptionsAppProps) {
  const [form, setForm] = useState<SettingsForm>(() => toForm(DEFAULT_SETTINGS));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    void load().then((s) => setForm(toForm(s)));
  }, [load]);
  return (
    <OptionsForm
      form={form}
      errors={errors}
      saved={saved}
      onChange={(field, value) => {
        setForm({ ...form, [field]: value });
        setSaved(false);
      }}
      onSave={async () => {
        const result = fromForm(form, strings.notANumber);
        if (!result.ok) {
          setErrors(result.errors);
          return;
        }
        await save(result.settings);
        setErrors({});
        setForm(toForm(result.settings));
        setSaved(true);
      }}
    />
  );
}
