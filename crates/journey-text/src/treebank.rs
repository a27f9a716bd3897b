//! treebank (to be written)
