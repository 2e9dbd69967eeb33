import { render } from 'preact';
import { loadSettings, settingsItem } from '../../utils/storage';
import { OptionsApp } from './OptionsApp';
import '../../components/panel.css';

render(
  <OptionsApp load={loadSettings} save={(s) => settingsItem.setValue(s)} />,
  document.getElementById('app') as HTMLElement,
);
