export default defineBackground(() => {
  console.log('Backlink Lens background started');
});
