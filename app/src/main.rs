fn main() {
    assay_app::start();
}
