/** Sentiment and themes on real sentences, Chinese (segmented with Intl.Segmenter) and English. */
import { describe, expect, it } from 'vitest';
import { analyse, words } from '../../transforms/text/analyze.ts';

describe('Chinese comments', () => {
  it('are segmented into words by Intl.Segmenter', () => {
    expect(words('物流太慢，等了一个星期')).toEqual(['物流', '太慢', '等', '了', '一个', '星期']);
  });

  it.each([
    ['客服响应很快，几分钟就回复了', 1, ['speed']],
    ['等了很久才有人回复，太慢了', -1, ['speed']],
    ['客服态度很差，不耐烦', -1, ['attitude']],
    ['问题到现在还没解决', -1, ['resolution']],
    ['产品质量很好，推荐', 1, ['product']],
    ['物流太慢，等了一个星期', -1, ['logistics', 'speed']],
    ['价格一般', 0, ['price']],
    ['我不满意', -1, []],
  ])('%s → sentiment %d, themes %j', (text, sentiment, themes) => {
    expect(analyse(text)).toEqual({ language: 'zh', sentiment, themes });
  });
});

describe('English comments', () => {
  it.each([
    ['Quick response, they got back to me in minutes', 1, ['speed']],
    ['The agent was rude and impatient', -1, ['attitude']],
    ['My issue is still not resolved', -1, ['resolution']],
    ['Delivery was late by a week', -1, ['logistics']],
    ['Good value for money', 1, ['price']],
    ['Not fast at all', -1, ['speed']],
  ])('%s → sentiment %d, themes %j', (text, sentiment, themes) => {
    expect(analyse(text)).toEqual({ language: 'en', sentiment, themes });
  });

  it('weighs mixed feelings', () => {
    expect(analyse('Friendly staff but the delivery was slow').sentiment).toBe(0);
  });
});
