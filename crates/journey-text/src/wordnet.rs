//! wordnet (to be written)
