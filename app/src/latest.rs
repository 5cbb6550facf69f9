//! The latest answer of an asynchronous read that is asked again whenever what it reads changes —
//! what `LocalResource` does for the shell and Browse, without its machinery (async-derived
//! signals, one copy per answer type) in the page's first download.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

/// Runs `read` now and again each time a signal it reads (before its future's first `await`)
/// changes. The signal holds the last answer: `None` until the first arrives, then the previous
/// answer while the next is on its way; an answer overtaken by a newer read is dropped.
pub fn answers<T, Fut>(read: impl Fn() -> Fut + 'static) -> ReadSignal<Option<T>, LocalStorage>
where
    T: 'static,
    Fut: Future<Output = T> + 'static,
{
    let answer = RwSignal::new_local(None::<T>);
    let asked = Rc::new(Cell::new(0u64));
    Effect::new(move |_| {
        let future = read();
        let this = asked.get() + 1;
        asked.set(this);
        let asked = Rc::clone(&asked);
        spawn_local(async move {
            let value = future.await;
            if asked.get() == this {
                // The reader may be gone by then (its page changed).
                let _ = answer.try_set(Some(value));
            }
        });
    });
    answer.read_only()
}
