/**
 * Everyday words that sound like a word of the router's vocabulary and are no typo of it: 来店 (came
 * to the store) reads like 来电 (a call), so "王芳来店说要订包间" became a call. The homophone fixer
 * leaves them as typed (HomophoneOptions.real). Words of a visit to the store: what staff log most.
 */
export const REAL_WORDS: readonly string[] = ['来店', '到店', '进店', '离店', '回店', '店里', '店内', '本店', '门店', '来店里'];
