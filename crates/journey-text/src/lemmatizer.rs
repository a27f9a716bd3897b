//! lemmatizer (to be written)
