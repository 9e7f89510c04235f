/** The demo's manual tags (ids fixed so every database gets the same rows). */

export type DemoTagCategory = 'demographic' | 'behaviour' | 'value' | 'risk';

export interface DemoTag {
  id: number;
  name: string;
  category: DemoTagCategory;
  description: string;
}

export const DEMO_TAGS: readonly DemoTag[] = [
  { id: 1, name: 'VIP', category: 'value', description: '高价值会员，店长重点维护' },
  { id: 2, name: '爱吃辣', category: 'behaviour', description: '偏好重辣菜品' },
  { id: 3, name: '家庭客', category: 'demographic', description: '常带家人就餐，客单价较高' },
  { id: 4, name: '生日月', category: 'demographic', description: '本月生日，可推送生日礼遇' },
  { id: 5, name: '投诉过', category: 'risk', description: '有过投诉记录，服务需格外用心' },
  { id: 6, name: '商务宴请', category: 'behaviour', description: '常用于商务宴请，偏好包间' },
];

export const TAG_ID = {
  vip: 1,
  spicy: 2,
  family: 3,
  birthdayMonth: 4,
  complained: 5,
  business: 6,
} as const;
