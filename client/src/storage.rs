//! Where the client keeps its state: one JSON document under one key, written whole, so a
//! change and its outbox entry are saved in the same step.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum StorageError {
    #[error("the phone's storage is full ({0}); sync to free space")]
    Full(String),
    #[error("the stored data could not be read: {0}")]
    Corrupt(String),
    #[error("storage is not available: {0}")]
    Unavailable(String),
}

pub trait Storage {
    fn load(&self, key: &str) -> Result<Option<String>, StorageError>;
    fn save(&self, key: &str, value: &str) -> Result<(), StorageError>;
}

/// In-memory storage. Clones share the same data, so a test can "close the tab" by dropping
/// an engine and open a new one on the same storage.
#[derive(Clone, Default)]
pub struct MemoryStorage(Rc<RefCell<HashMap<String, String>>>);

impl Storage for MemoryStorage {
    fn load(&self, key: &str) -> Result<Option<String>, StorageError> {
        Ok(self.0.borrow().get(key).cloned())
    }
    fn save(&self, key: &str, value: &str) -> Result<(), StorageError> {
        self.0
            .borrow_mut()
            .insert(key.to_string(), value.to_string());
        Ok(())
    }
}

impl MemoryStorage {
    /// Bytes stored, to compare with localStorage's ~5 MB.
    pub fn bytes(&self) -> usize {
        self.0.borrow().iter().map(|(k, v)| k.len() + v.len()).sum()
    }
}

/// The browser's localStorage, through gloo-storage.
#[cfg(feature = "browser")]
#[derive(Clone, Copy, Default)]
pub struct BrowserStorage;

#[cfg(feature = "browser")]
impl Storage for BrowserStorage {
    fn load(&self, key: &str) -> Result<Option<String>, StorageError> {
        use gloo_storage::Storage as _;
        match gloo_storage::LocalStorage::raw().get_item(key) {
            Ok(value) => Ok(value),
            Err(e) => Err(StorageError::Unavailable(format!("{e:?}"))),
        }
    }
    fn save(&self, key: &str, value: &str) -> Result<(), StorageError> {
        use gloo_storage::Storage as _;
        gloo_storage::LocalStorage::raw()
            .set_item(key, value)
            .map_err(|e| StorageError::Full(format!("{e:?}")))
    }
}
