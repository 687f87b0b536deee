/**
 * Survey comments in Chinese and English. Each comment is about one theme (speed, attitude,
 * resolution, product, price, logistics) and leans the way its score does, so text analytics
 * has a known answer.
 */
import type { Random } from './random.ts';

type Tone = 'positive' | 'negative' | 'neutral';
export const THEMES = ['speed', 'attitude', 'resolution', 'product', 'price', 'logistics'] as const;
export type Theme = (typeof THEMES)[number];

const PHRASES: Record<'zh' | 'en', Record<Theme, Record<Tone, readonly string[]>>> = {
  zh: {
    speed: {
      positive: ['客服响应很快，几分钟就回复了', '处理速度快，效率很高', '回复及时，速度让人满意'],
      negative: ['等了很久才有人回复，太慢了', '响应速度太慢，等了两天', '处理效率低，一直在等待'],
      neutral: ['回复速度一般', '响应时间还可以'],
    },
    attitude: {
      positive: ['客服态度很好，非常耐心', '服务热情周到，很专业', '工作人员很礼貌，态度友好'],
      negative: ['客服态度很差，不耐烦', '服务态度冷淡，让人失望', '工作人员不专业，态度恶劣'],
      neutral: ['态度还行', '服务态度一般'],
    },
    resolution: {
      positive: ['问题一次就解决了，很满意', '顺利解决了我的问题', '解决方案很有效'],
      negative: ['问题到现在还没解决', '反复联系了好几次都没解决', '没有解决问题，很失望'],
      neutral: ['问题基本解决了', '处理结果还可以'],
    },
    product: {
      positive: ['产品质量很好，推荐', '商品非常好用，很喜欢'],
      negative: ['产品质量有问题，很失望', '商品有瑕疵，不好用'],
      neutral: ['产品一般', '质量还可以'],
    },
    price: {
      positive: ['价格实惠，性价比高', '价格合理，很划算'],
      negative: ['价格太贵了', '性价比低，不值这个价'],
      neutral: ['价格一般', '价格还能接受'],
    },
    logistics: {
      positive: ['物流很快，第二天就到了', '快递送货及时，包装完好'],
      negative: ['物流太慢，等了一个星期', '快递丢件，配送很差'],
      neutral: ['物流速度一般', '配送还行'],
    },
  },
  en: {
    speed: {
      positive: ['Quick response, they got back to me in minutes', 'Very fast and efficient service', 'Prompt reply, great speed'],
      negative: ['Waited far too long for a reply', 'Response was very slow, two days of waiting', 'Slow and inefficient, kept me waiting'],
      neutral: ['Response time was okay', 'Reply speed was average'],
    },
    attitude: {
      positive: ['The agent was friendly and very patient', 'Polite, helpful and professional staff', 'Great attitude, really kind'],
      negative: ['The agent was rude and impatient', 'Unfriendly and unprofessional staff', 'Terrible attitude, very disappointing'],
      neutral: ['The agent was okay', 'Service attitude was average'],
    },
    resolution: {
      positive: ['My problem was solved on the first call', 'Issue resolved quickly, very satisfied', 'They fixed it, excellent solution'],
      negative: ['My issue is still not resolved', 'Had to contact them several times and nothing was fixed', 'Problem not solved, very disappointed'],
      neutral: ['The issue was mostly resolved', 'The outcome was acceptable'],
    },
    product: {
      positive: ['Great product quality, recommend it', 'Love the product, works perfectly'],
      negative: ['The product was defective', 'Poor quality, the item broke'],
      neutral: ['The product is average', 'Quality is fine'],
    },
    price: {
      positive: ['Good value for money', 'Fair price, a great deal'],
      negative: ['Far too expensive', 'Not worth the price'],
      neutral: ['The price is average', 'Price is acceptable'],
    },
    logistics: {
      positive: ['Fast delivery, arrived the next day', 'Shipping was quick and well packed'],
      negative: ['Delivery was late by a week', 'The parcel was lost, terrible shipping'],
      neutral: ['Delivery was okay', 'Shipping time was average'],
    },
  },
};

/** A comment for a score, where `quality` is the score scaled to 0..1 (1 = best). */
export function comment(random: Random, quality: number, serviceTheme: boolean): { text: string; language: 'zh' | 'en'; theme: Theme; tone: Tone } {
  const language = random.chance(0.5) ? 'zh' : 'en';
  const theme: Theme = serviceTheme ? random.pick(['speed', 'attitude', 'resolution'] as const) : random.pick(THEMES);
  const tone: Tone = quality >= 0.75 ? 'positive' : quality <= 0.4 ? 'negative' : 'neutral';
  return { text: random.pick(PHRASES[language][theme][tone]), language, theme, tone };
}
