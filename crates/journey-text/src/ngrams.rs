//! ngrams (to be written)
