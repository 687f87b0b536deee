/** The CRM investment's verdict from its monthly cash flows, under given assumptions. */
import { annualRate, irr, monthlyRate, npv, paybackMonths } from '../stats/finance.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';

export interface Flows {
  benefit: number[];
  cost: number[];
  /** the first month of each period (YYYY-MM-DD) */
  months: string[];
  /** true for a month after the data ends, whose flow is projected */
  projected: boolean[];
}

export async function readFlows(warehouse: Warehouse): Promise<Flows> {
  const rows = await warehouse.all<{ benefit: number; cost: number; month: string; projected: boolean }>(`
    SELECT
      margin_benefit + service_benefit AS benefit,
      crm_cost AS cost,
      strftime(month, '%Y-%m-%d') AS month,
      projected
    FROM marts.crm_cash_flows
    ORDER BY period`);
  return { benefit: rows.map((r) => r.benefit), cost: rows.map((r) => r.cost), months: rows.map((r) => r.month), projected: rows.map((r) => r.projected) };
}

/** NPV at an annual rate compounded monthly, IRR annualised, payback in months. */
export function evaluate(flows: Flows, options: { benefitFactor: number; annualDiscountRate: number }) {
  const net = flows.benefit.map((b, t) => b * options.benefitFactor - flows.cost[t]!);
  const monthly = irr(net);
  return {
    net,
    npv: npv(monthlyRate(options.annualDiscountRate), net),
    irr: monthly.irr === null ? null : annualRate(monthly.irr),
    irrNote: monthly.note,
    payback: paybackMonths(net),
  };
}
