import { render } from 'preact';

render(<main>Postback Lens</main>, document.getElementById('app') as HTMLElement);
