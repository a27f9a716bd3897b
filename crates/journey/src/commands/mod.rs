pub mod data;
pub mod text;
