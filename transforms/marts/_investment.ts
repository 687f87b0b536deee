/** The CRM investment's verdict from its monthly cash flows, under given assumptions. */
import { annualRate, irr, monthlyRate, npv, paybackMonths } from '../stats/finance.ts';
import { provides, type Config } from '../../config/schema.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { NOTES, type Text } from './_investment-notes.ts';

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
      -- a part left NULL (its source not provided) adds nothing; notMeasurable and benefitCaveat say so
      margin_benefit + coalesce(service_benefit, 0) AS benefit,
      coalesce(crm_cost, 0) AS cost,
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
    /** why there is no IRR, or null when there is one */
    noIrr: monthly.none,
    payback: paybackMonths(net),
  };
}

/**
 * Why nothing about the investment can be said, or null when it can: without its costs (no
 * finance data, or a ledger with no CRM project lines) ROI, NPV, IRR and payback would be
 * numbers about benefits alone.
 */
export function notMeasurable(flows: Flows, config: Pick<Config, 'sources_provided'>): Text | null {
  if (!provides(config, 'finance')) return NOTES.noFinance();
  if (flows.cost.reduce((s, x) => s + x, 0) <= 0) return NOTES.noCrmCosts();
  return null;
}

/** What the benefit leaves out: service hours saved are valued at the agents' loaded hourly cost, from HR. */
export function benefitCaveat(config: Pick<Config, 'sources_provided'>): Text | null {
  return provides(config, 'hr') ? null : NOTES.noHr();
}
