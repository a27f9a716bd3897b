//! stopwords (to be written)
