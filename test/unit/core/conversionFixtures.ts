import type { Conversion } from '../../../src/core/conversions/types';

// A normalised conversion row with every field, for unit tests; override what the test is about.

let seq = 0;
export function conversion(p: Partial<Conversion>): Conversion {
  seq++;
  return {
    conversion_id: `c${seq}`,
    transaction_id: '',
    conversion_unix_timestamp: 1_700_000_000,
    click_unix_timestamp: 0,
    revenue: 0,
    sale_amount: 0,
    currency_id: 'USD',
    event: '',
    is_event: false,
    status: '',
    revenue_type: '',
    source_id: '',
    sub1: '',
    sub2: '',
    sub3: '',
    sub4: '',
    sub5: '',
    order_id: '',
    coupon_code: '',
    country: '',
    platform: '',
    device_type: '',
    offer_id: 0,
    offer_name: '',
    other: {},
    ...p,
  };
}

