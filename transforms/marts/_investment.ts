/** The CRM investment's verdict from its monthly cash flows, under given assumptions. */
import { annualRate, irr, monthlyRate, npv, paybackMonths } from '../stats/finance.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';

export interface Flows {
  benefit: number[];
  cost: number[];
}

export async function readFlows(warehouse: Warehouse): Promise<Flows> {
  const rows = await warehouse.all<{ benefit: number; cost: number }>(
    `SELECT margin_benefit + service_benefit AS benefit, crm_cost AS cost FROM marts.crm_cash_flows ORDER BY period`,
  );
  return { benefit: rows.map((r) => r.benefit), cost: rows.map((r) => r.cost) };
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
