// Set-up of the component-test (jsdom) project. findBy*/waitFor give up after 5 s instead of
// Testing Library's 1 s: on a 2-core machine running the whole suite (or a benchmark) beside it,
// a first render that warms up modules, MSW and the informers can take longer than a second. A
// passing wait still returns the moment its condition holds; only a failure takes longer to report.
import { configure } from '@testing-library/react';

configure({ asyncUtilTimeout: 5_000 });
