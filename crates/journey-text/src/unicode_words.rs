//! unicode_words (to be written)
