//! Identité Nationale de Santé (INS).
