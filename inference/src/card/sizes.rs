//! Named sizes: the axes a model leaves free (`batch`, `height`, …), recorded per input with the
//! value the trial feeds, checked for consistency and changed by name (one name, one value).

use std::collections::BTreeMap;

use super::checks::CardError;
use super::io::{InputKind, IoSchema, Layout};

impl IoSchema {
    /// Every named size and its value, by name (a name shared by several inputs appears once).
    pub fn sizes(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for input in &self.inputs {
            for size in &input.sizes {
                if let Some(&value) = input.shape.get(size.axis) {
                    out.entry(size.name.clone()).or_insert(value);
                }
            }
        }
        out
    }

    /// Sets every axis named `name` to `value`, in every input; a picture's width or height
    /// follows its axis. Refused (and nothing changed) when no axis has that name or when the
    /// result is inconsistent (e.g. a fields input whose count would change).
    pub fn set_size(&mut self, name: &str, value: usize) -> Result<(), CardError> {
        let before = self.clone();
        let mut found = false;
        for input in &mut self.inputs {
            let axes: Vec<usize> = input.sizes.iter().filter(|s| s.name == name).map(|s| s.axis).collect();
            for axis in axes {
                let Some(slot) = input.shape.get_mut(axis) else { continue };
                *slot = value;
                found = true;
                if let InputKind::Image(image) = &mut input.kind
                    && input.shape.len() == 4
                {
                    let (h, w) = match image.layout {
                        Layout::Nchw => (2, 3),
                        Layout::Nhwc => (1, 2),
                    };
                    if axis == h {
                        image.height = value;
                    } else if axis == w {
                        image.width = value;
                    }
                }
            }
        }
        if !found {
            return Err(CardError::Inconsistent(format!("no input has a size named {name}")));
        }
        if let Err(e) = self.check() {
            *self = before;
            return Err(e);
        }
        Ok(())
    }

    /// Each named size points at an axis of its input, once; a name means one value everywhere.
    pub(super) fn check_sizes(&self) -> Result<(), CardError> {
        let bad = |m: String| Err(CardError::Inconsistent(m));
        let mut values: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
        for input in &self.inputs {
            for (i, size) in input.sizes.iter().enumerate() {
                let Some(&value) = input.shape.get(size.axis) else {
                    return bad(format!(
                        "input {}: size {} names axis {} but the shape {:?} has {} axes",
                        input.name,
                        size.name,
                        size.axis,
                        input.shape,
                        input.shape.len()
                    ));
                };
                if input.sizes[..i].iter().any(|s| s.axis == size.axis) {
                    return bad(format!("input {}: axis {} is named twice", input.name, size.axis));
                }
                match values.get(size.name.as_str()) {
                    Some(&(seen, other)) if seen != value => {
                        return bad(format!(
                            "size {} is {seen} in input {other} but {value} in input {}; one name is one size",
                            size.name, input.name
                        ));
                    }
                    _ => {
                        values.insert(&size.name, (value, &input.name));
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::card::{ChannelOrder, ImageSpec, InputKind, InputSpec, IoSchema, Layout, NamedSize, Resize};
    use crate::card::{OutputKind, OutputSpec};
    use crate::tensor::DType;

    fn named(axis: usize, name: &str) -> NamedSize {
        NamedSize { axis, name: name.into() }
    }

    fn schema() -> IoSchema {
        let image = ImageSpec {
            width: 224,
            height: 224,
            channels: 3,
            layout: Layout::Nchw,
            channel_order: ChannelOrder::Rgb,
            resize: Resize::Stretch,
            scale: 1.0,
            mean: vec![],
            std: vec![],
            invert: false,
        };
        IoSchema {
            version: 1,
            inputs: vec![
                InputSpec {
                    name: "x".into(),
                    dtype: DType::F32,
                    shape: vec![1, 3, 224, 224],
                    sizes: vec![named(0, "batch"), named(2, "height"), named(3, "width")],
                    kind: InputKind::Image(image),
                },
                InputSpec {
                    name: "state".into(),
                    dtype: DType::F32,
                    shape: vec![2, 1, 128],
                    sizes: vec![named(1, "batch")],
                    kind: InputKind::State,
                },
            ],
            outputs: vec![OutputSpec { name: "y".into(), kind: OutputKind::Tensor }],
        }
    }

    #[test]
    fn a_size_is_set_by_name_everywhere_and_a_picture_follows_it() {
        let mut io = schema();
        assert_eq!(
            io.sizes().into_iter().collect::<Vec<_>>(),
            [("batch".into(), 1), ("height".into(), 224), ("width".into(), 224)]
        );
        io.set_size("width", 320).unwrap();
        io.set_size("height", 32).unwrap();
        assert_eq!(io.inputs[0].shape, vec![1, 3, 32, 320]);
        let InputKind::Image(image) = &io.inputs[0].kind else { panic!() };
        assert_eq!((image.width, image.height), (320, 32));
        let e = io.set_size("batch", 2).unwrap_err().to_string();
        assert!(e.contains("image is 30720 values"), "a picture input is one picture: {e}");
        io.inputs[0].kind = InputKind::Tensor;
        io.set_size("batch", 2).unwrap();
        assert_eq!((io.inputs[0].shape[0], io.inputs[1].shape[1]), (2, 2));
        assert!(io.set_size("depth", 3).unwrap_err().to_string().contains("no input has a size named depth"));
        let before = io.clone();
        assert!(io.set_size("width", 0).is_err());
        assert_eq!(io, before, "a refused change leaves the schema as it was");
    }

    #[test]
    fn one_name_is_one_size_and_names_point_at_axes() {
        let mut io = schema();
        io.inputs[1].shape[1] = 4;
        let e = io.check().unwrap_err().to_string();
        assert!(e.contains("size batch is 1 in input x but 4 in input state"), "{e}");
        let mut io = schema();
        io.inputs[1].sizes.push(named(5, "time"));
        assert!(io.check().unwrap_err().to_string().contains("names axis 5"));
        let mut io = schema();
        io.inputs[1].sizes.push(named(1, "again"));
        assert!(io.check().unwrap_err().to_string().contains("named twice"));
    }
}
