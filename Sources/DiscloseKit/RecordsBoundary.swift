@_exported import Records

// The record engine is its own module (`Records`): DiscloseKit tells it what to do with each
// field and consumes its counts. It is re-exported so that users of DiscloseKit see the
// engine's vocabulary (`FieldPath`, `FieldAction`, `DataFormat`, `DatasetStatistics`) as before.
