import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isResultsToHost, MAX_CHART_CHARS } from '../../../src/protocol/results';

// "Save chart as PNG/SVG" crosses from the webview to the host, which writes the bytes where the user
// picks: the host's run-time check lets through only the two charts, the two formats, base64 for PNG,
// and a bounded size.

describe('the saveChart message', () => {
  it('accepts a chart, a format and its data', () => {
    assert.equal(isResultsToHost({ type: 'saveChart', chart: 'time', format: 'png', data: 'iVBORw0KGgo=' }), true);
    assert.equal(isResultsToHost({ type: 'saveChart', chart: 'breakdown', format: 'svg', data: '<svg xmlns="http://www.w3.org/2000/svg"/>' }), true);
  });

  it('refuses other charts, formats, non-base64 PNG data and oversized data', () => {
    assert.equal(isResultsToHost({ type: 'saveChart', chart: 'grid', format: 'png', data: '' }), false);
    assert.equal(isResultsToHost({ type: 'saveChart', chart: 'time', format: 'html', data: '<b>' }), false);
    assert.equal(isResultsToHost({ type: 'saveChart', chart: 'time', format: 'png', data: 'data:image/png;base64,iVBOR' }), false);
    assert.equal(isResultsToHost({ type: 'saveChart', chart: 'time', format: 'png', data: 42 }), false);
    assert.equal(isResultsToHost({ type: 'saveChart', chart: 'time', format: 'svg', data: 'x'.repeat(MAX_CHART_CHARS + 1) }), false);
  });
});
